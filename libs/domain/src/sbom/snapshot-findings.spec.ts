import { findingsOfSnapshot, type FindingIdentity } from './snapshot-findings';

const dependency = (id: string, name: string, version: string | null) => ({
  id,
  ecosystem: 'npm' as const,
  name,
  version,
  manifestPath: 'package-lock.json',
});
const finding = (over: Partial<FindingIdentity>): FindingIdentity => ({
  ecosystem: 'npm',
  packageName: 'lodash',
  version: '4.17.20',
  manifestPath: 'package-lock.json',
  vulnerabilityId: 'GHSA-1',
  aliases: ['CVE-1'],
  status: 'open',
  ...over,
});

describe('findingsOfSnapshot', () => {
  it('keeps the findings whose dependency matched their advisory or an alias of it', () => {
    const deps = [dependency('d1', 'lodash', '4.17.20'), dependency('d2', 'qs', '6.0.0')];
    const matches = [
      { dependencyId: 'd1', vulnerabilityId: 'CVE-1' },
      { dependencyId: 'd2', vulnerabilityId: 'GHSA-2' },
    ];
    const kept = findingsOfSnapshot(deps, matches, [
      finding({}),
      finding({
        status: 'fixed',
        packageName: 'qs',
        version: '6.0.0',
        vulnerabilityId: 'GHSA-2',
        aliases: [],
      }),
      finding({ vulnerabilityId: 'GHSA-3', aliases: [] }),
      finding({ version: '4.17.19' }),
      finding({ manifestPath: 'other/package-lock.json' }),
      finding({ status: 'withdrawn', packageName: 'qs', version: '6.0.0', vulnerabilityId: 'GHSA-2' }),
    ]);
    expect(kept.map((f) => [f.packageName, f.vulnerabilityId, f.status])).toEqual([
      ['lodash', 'GHSA-1', 'open'],
      ['qs', 'GHSA-2', 'fixed'],
    ]);
  });
});
