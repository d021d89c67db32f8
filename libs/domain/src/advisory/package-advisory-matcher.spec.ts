import { readOsvExport } from '@repoguard/infrastructure';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { type Ecosystem, isEcosystem } from '../ecosystem/ecosystem.value-object';
import { normalizePackageName } from '../ecosystem/package-name';
import { evaluateAffected } from './is-affected';
import type { OsvAffected, OsvRecord } from './osv-record';
import { PackageAdvisoryMatcher } from './package-advisory-matcher';

// The compiled matcher must say exactly what the reference evaluation (evaluateAffected, the OSV
// schema's algorithm applied record by record) says, on every real export we have.
describe.each(['PyPI-all.zip', 'PyPI-ghsa.zip', 'npm-ghsa.zip', 'Go-ghsa.zip', 'Maven-ghsa.zip'])(
  'PackageAdvisoryMatcher agrees with evaluateAffected on %s',
  (file) => {
    it('for every package, at every boundary version and between them', () => {
      const { records } = readOsvExport(sharedOsvExport(file));
      const packages = new Map<
        string,
        { ecosystem: Ecosystem; entries: { record: OsvRecord; affected: OsvAffected }[] }
      >();
      for (const record of records) {
        if (record.withdrawn) continue;
        for (const affected of record.affected ?? []) {
          const ecosystem = affected.package?.ecosystem ?? '';
          if (!isEcosystem(ecosystem) || !affected.package?.name) continue;
          const key = `${ecosystem}:${normalizePackageName(ecosystem, affected.package.name)}`;
          const pkg = packages.get(key) ?? { ecosystem, entries: [] };
          pkg.entries.push({ record, affected });
          packages.set(key, pkg);
        }
      }

      let checked = 0;
      const disagreements: string[] = [];
      for (const [key, { ecosystem, entries }] of packages) {
        const matcher = new PackageAdvisoryMatcher(entries, ecosystem);
        const candidates = new Set<string>(['0.0.1', '1.0.0', '999.0.0', 'v1.2.3', 'not a version']);
        for (const { affected } of entries) {
          (affected.versions ?? []).slice(0, 10).forEach((v) => candidates.add(v));
          for (const range of affected.ranges ?? []) {
            for (const event of range.events) {
              for (const v of Object.values(event)) {
                candidates.add(v);
                candidates.add(`${v}.1`); // just above a boundary
                candidates.add(`${v}-1`); // a pre-release or post-release spelling, by ecosystem
              }
            }
          }
        }
        for (const version of candidates) {
          const expected = new Map<string, string[]>();
          for (const { record, affected } of entries) {
            const verdict = evaluateAffected(affected, ecosystem, version);
            if (!verdict.affected) continue;
            const fixes = new Set([...(expected.get(record.id) ?? []), ...verdict.fixedVersions]);
            expected.set(record.id, [...fixes].sort());
          }
          const actual = new Map(
            matcher
              .match(version)
              .map(({ record, fixedVersions }) => [record.id, [...fixedVersions].sort()] as const),
          );
          const render = (m: Map<string, readonly string[]>) =>
            JSON.stringify([...m].sort(([a], [b]) => a.localeCompare(b)));
          if (render(expected) !== render(actual)) {
            disagreements.push(`${key}@${version}: expected ${render(expected)}, got ${render(actual)}`);
          }
          checked++;
        }
      }
      expect(disagreements.slice(0, 10)).toEqual([]);
      expect(checked).toBeGreaterThan(300);
    }, 120_000);
  },
);

describe('PackageAdvisoryMatcher on listed versions', () => {
  const advisory = (id: string, affected: OsvAffected): { record: OsvRecord; affected: OsvAffected } => ({
    record: { id, modified: '2024-01-01T00:00:00Z' },
    affected,
  });
  const ids = (matcher: PackageAdvisoryMatcher, version: string) =>
    matcher.match(version).map(({ record, fixedVersions }) => `${record.id}${fixedVersions.join(',')}`);

  it('answers every record listing a version, once, in the order listed, whatever its spelling', () => {
    const matcher = new PackageAdvisoryMatcher(
      [
        advisory('A', { versions: ['1.0', '2.0', '2.0.0', '3.0'] }),
        advisory('B', { versions: ['2.0', '4.0'] }),
        advisory('C', {
          versions: ['1.0'],
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.5' }] }],
        }),
        advisory('D', { versions: ['not-a-version'] }),
      ],
      'PyPI',
    );
    expect(ids(matcher, '1.0')).toEqual(['A', 'C1.5']);
    // `2.0` and `2.0.0` are one version to PEP 440: A answers once.
    expect(ids(matcher, '2.0.0')).toEqual(['A', 'B']);
    expect(ids(matcher, '4.0')).toEqual(['B']);
    // Between listed versions, below and above them all: only ranges match.
    expect(ids(matcher, '1.2')).toEqual(['C1.5']);
    expect(ids(matcher, '2.5')).toEqual([]);
    expect(ids(matcher, '9.0')).toEqual([]);
    expect(ids(matcher, '0.1')).toEqual(['C1.5']);
    // A listed spelling no scheme reads matches by spelling alone.
    expect(ids(matcher, 'not-a-version')).toEqual(['D']);
  });
});
