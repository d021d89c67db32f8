import { readOsvExport } from '@repoguard/infrastructure';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { AdvisoryIndex } from './advisory-index';

// Expected ids were derived by hand from each record's ECOSYSTEM events (listed in comments), so
// the test checks the matcher against the data rather than against itself.
describe('AdvisoryIndex on the real PyPI advisory database (PyPI-all.zip)', () => {
  let index: AdvisoryIndex;

  beforeAll(() => {
    const { records, problems } = readOsvExport(sharedOsvExport('PyPI-all.zip'));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(2661);
    index = new AdvisoryIndex(records);
  });

  const ids = (name: string, version: string) =>
    index
      .match('PyPI', name, version)
      .map((m) => m.record.id)
      .sort();

  it.each([
    // jinja2: 2019-217 [0, 2.10.1), 2021-66 [0, 2.11.3), 2019-220 [0, 2.8.1)
    ['jinja2', '2.10', ['PYSEC-2019-217', 'PYSEC-2021-66']],
    ['jinja2', '2.10.1', ['PYSEC-2021-66']], // exactly fixed
    ['jinja2', '2.11.3', []],
    // pyyaml: 2018-49 [0, 5.1), 2020-176 [5.1, 5.2b1), 2020-96 [5.1, 5.3.1), 2021-142 [0, 5.4)
    ['pyyaml', '5.1', ['PYSEC-2020-176', 'PYSEC-2020-96', 'PYSEC-2021-142']], // exactly introduced and fixed
    ['PyYAML', '5.2b1', ['PYSEC-2020-96', 'PYSEC-2021-142']], // pre-release, exactly fixed; name normalised
    ['pyyaml', '5.3.1', ['PYSEC-2021-142']],
    ['pyyaml', '5.4b1', ['PYSEC-2021-142']], // pre-release before the fix
    ['pyyaml', '5.4', []],
    // requests: 2014-13/14 [0, 2.3.0), 2015-17 [2.1.0, 2.6.0), 2018-28 [0, 2.20.0), 2023-74 [2.3.0, 2.31.0)
    ['requests', '2.3.0', ['PYSEC-2015-17', 'PYSEC-2018-28', 'PYSEC-2023-74']],
    ['requests', '2.19.1', ['PYSEC-2018-28', 'PYSEC-2023-74']],
    ['requests', '2.30.0+local.1', ['PYSEC-2023-74']], // local version
    ['requests', '2.31.0', []],
    // urllib3: 2023-212 [0, 1.26.18) and [2.0.0, 2.0.7); 2023-192 [0, 1.26.17) and [2.0.0, 2.0.6)
    ['urllib3', '1.26.17', ['PYSEC-2023-212']],
    ['urllib3', '1.26.17.post1', ['PYSEC-2023-212']], // post-release
    ['urllib3', '2.0.6', ['PYSEC-2023-212']],
    [
      'urllib3',
      '1.24.1',
      [
        'PYSEC-2019-132',
        'PYSEC-2019-133',
        'PYSEC-2020-148',
        'PYSEC-2021-108',
        'PYSEC-2023-192',
        'PYSEC-2023-207',
        'PYSEC-2023-212',
      ],
    ],
    ['no-such-package-anywhere', '1.0', []],
  ])('%s %s → %p', (name, version, expected) => {
    expect(ids(name, version)).toEqual(expected);
  });

  it('names the fix versions that would help', () => {
    const matches = index.match('PyPI', 'urllib3', '1.26.16');
    const fixes = Object.fromEntries(matches.map((m) => [m.record.id, m.fixedVersions]));
    expect(fixes['PYSEC-2023-192']).toEqual(['1.26.17']);
    expect(fixes['PYSEC-2023-212']).toEqual(['1.26.18']);
  });
});
