/**
 * An advisory id as OSV spells it, for the two kinds people type by hand: CVE ids are upper case
 * (CVE-2021-44228) and GHSA ids keep their prefix upper and the rest lower (GHSA-jf85-cpcp-j695).
 * Every other id is left as written: some sources spell theirs in mixed case (openSUSE-SU-…).
 */
export function canonicalAdvisoryId(id: string): string {
  if (/^cve-/i.test(id)) return id.toUpperCase();
  if (/^ghsa-/i.test(id)) return `GHSA-${id.slice(5).toLowerCase()}`;
  return id;
}
