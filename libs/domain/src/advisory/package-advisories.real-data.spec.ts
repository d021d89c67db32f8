import { readOsvExport } from '@repoguard/infrastructure';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { advisoryKey, AdvisoryIndex, packagesNamed } from './advisory-index';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { OsvRecord } from './osv-record';
import { PackageAdvisories } from './package-advisories';

describe('PackageAdvisories (one package, slimmed) on the real advisories', () => {
  it('answers every package as an index of all the records does, at every version the records name', () => {
    const records = ['PyPI-all.zip', 'npm-ghsa.zip', 'Go-ghsa.zip', 'Maven-ghsa.zip'].flatMap(
      (file) => readOsvExport(sharedOsvExport(file)).records,
    );
    const index = new AdvisoryIndex(records);
    const byPackage = new Map<string, { records: OsvRecord[]; versions: Set<string> }>();
    for (const record of records)
      for (const { affected, ecosystem, name } of packagesNamed(record)) {
        const key = advisoryKey(ecosystem, name);
        const held = byPackage.get(key) ?? { records: [], versions: new Set(['0.0.0-rg', '999.0.0']) };
        byPackage.set(key, held);
        held.records.push(record);
        for (const v of affected.versions ?? []) held.versions.add(v);
        for (const range of affected.ranges ?? [])
          for (const event of range.events) for (const v of Object.values(event)) held.versions.add(v);
      }
    let compared = 0;
    let affected = 0;
    const differing: string[] = [];
    for (const [key, { records: named, versions }] of byPackage) {
      const [ecosystem, name] = key.split('\u0000') as [Ecosystem, string];
      const slim = new PackageAdvisories(ecosystem, key, named);
      for (const version of versions) {
        const expected = index
          .match(ecosystem, name, version)
          .map((m) => `${m.record.id}@${m.record.modified}`)
          .sort()
          .join(',');
        const got = slim
          .match(version)
          .map((s) => `${s.id}@${s.modified}`)
          .sort()
          .join(',');
        if (got !== expected) differing.push(`${key} ${version}: ${got} vs ${expected}`);
        compared++;
        if (expected) affected++;
      }
    }
    expect(differing).toEqual([]);
    // Not a vacuous comparison.
    expect(compared).toBeGreaterThan(5_000);
    expect(affected).toBeGreaterThan(1_000);
  });

  it('keeps the newest copy of an id, matches nothing for a withdrawn one, and only its own package', () => {
    const on = (name: string, fixed: string): OsvRecord['affected'] => [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ];
    const key = advisoryKey('npm', 'left');
    const slim = new PackageAdvisories('npm', key, [
      { id: 'A', modified: '2026-01-02T00:00:00Z', affected: on('left', '2.0.0') },
      { id: 'A', modified: '2026-01-01T00:00:00Z', affected: on('left', '9.0.0') },
      {
        id: 'B',
        modified: '2026-01-01T00:00:00Z',
        affected: on('left', '9.0.0'),
        withdrawn: '2026-01-01T00:00:00Z',
      },
      { id: 'C', modified: '2026-01-01T00:00:00Z', affected: on('right', '9.0.0') },
    ]);
    expect(slim.match('1.0.0')).toEqual([{ id: 'A', modified: '2026-01-02T00:00:00Z' }]);
    expect(slim.match('3.0.0')).toEqual([]);
    expect(slim.ids).toEqual(['A']);
  });
});
