import { canonicalAdvisoryId } from './advisory-id';

describe('canonicalAdvisoryId', () => {
  it.each([
    ['cve-2021-44228', 'CVE-2021-44228'],
    ['Cve-2021-44228', 'CVE-2021-44228'],
    ['CVE-2021-44228', 'CVE-2021-44228'],
    ['ghsa-JF85-cpcp-J695', 'GHSA-jf85-cpcp-j695'],
    ['GHSA-jf85-cpcp-j695', 'GHSA-jf85-cpcp-j695'],
    ['openSUSE-SU-2024:0001-1', 'openSUSE-SU-2024:0001-1'],
    ['PYSEC-2021-1', 'PYSEC-2021-1'],
  ])('%s is %s', (typed, canonical) => {
    expect(canonicalAdvisoryId(typed)).toBe(canonical);
  });
});
