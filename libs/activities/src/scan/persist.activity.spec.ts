import type {
  DesiredFinding,
  FindingRepository,
  SnapshotManifestRecord,
  UnreadManifests,
  OsvRecord,
  ScanRepository,
  SnapshotRepository,
  StoredDependency,
  VulnerabilityCache,
} from '@repoguard/domain';
import { createPersistActivity } from './persist.activity';

// A finding from an advisory with events RepoGuard had to read by a rule carries those diagnostics,
// so whoever reads the finding can judge it; a finding from a clean advisory carries none.
function persistWith(
  dependencies: StoredDependency[],
  matches: { dependencyId: string; vulnerabilityId: string }[],
  records: OsvRecord[],
  manifests: SnapshotManifestRecord[] = [manifest('package-lock.json')],
) {
  const synced: DesiredFinding[][] = [];
  const unread: (UnreadManifests | undefined)[] = [];
  const snapshots = {
    dependencies: async () => dependencies,
    matches: async () => matches,
    manifests: async () => manifests,
  } as unknown as SnapshotRepository;
  const vulnerabilityCache = {
    get: async (ids: readonly string[]) =>
      new Map(records.filter((r) => ids.includes(r.id)).map((r) => [r.id, r])),
  } as unknown as VulnerabilityCache;
  const findings = {
    sync: async (input: { findings: readonly DesiredFinding[]; unreadManifests?: UnreadManifests }) => {
      synced.push([...input.findings]);
      unread.push(input.unreadManifests);
      return { opened: input.findings.length, stillOpen: 0, fixed: 0, withdrawn: 0 };
    },
  } as unknown as FindingRepository;
  const scans = {
    phase: async () => undefined,
    recordPhase: async () => undefined,
  } as unknown as ScanRepository;
  const persist = createPersistActivity({
    snapshots,
    vulnerabilityCache,
    findings,
    scans,
    now: () => new Date(),
  });
  return { persist, synced, unread };
}

function manifest(
  path: string,
  diagnostics: SnapshotManifestRecord['diagnostics'] = [],
): SnapshotManifestRecord {
  return { path, blobSha: 'b'.repeat(40), parserId: 'package-lock-json', diagnostics };
}

const dependency = (id: string, name: string, version: string): StoredDependency => ({
  id,
  ecosystem: 'npm',
  name,
  version,
  scope: 'runtime',
  direct: true,
  manifestPath: 'package-lock.json',
  purl: `pkg:npm/${name}@${version}`,
});

describe('persist: advisory diagnostics on findings', () => {
  it('attaches the diagnostics of the advisory, for the package the finding is about', async () => {
    const nodeFetch: OsvRecord = {
      id: 'GHSA-r683-j2x4-v87g',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'node-fetch' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '3.1.1' }] }],
        },
      ],
    };
    const clean: OsvRecord = {
      id: 'GHSA-clean',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
        },
      ],
    };
    const { persist, synced } = persistWith(
      [dependency('d1', 'node-fetch', '2.17.30'), dependency('d2', 'left-pad', '1.0.0')],
      [
        { dependencyId: 'd1', vulnerabilityId: nodeFetch.id },
        { dependencyId: 'd2', vulnerabilityId: clean.id },
      ],
      [nodeFetch, clean],
    );
    await persist({ scanId: 's', orgId: 'o', repoId: 'r', snapshotId: 'snap' });

    const byId = new Map(synced[0]!.map((f) => [f.vulnerabilityId, f]));
    expect(byId.get(nodeFetch.id)).toMatchObject({
      fixedVersions: ['3.1.1'],
      advisoryDiagnostics: {
        total: 1,
        advisories: 1,
        byRule: { COERCED: 1 },
        sample: [
          {
            advisoryId: nodeFetch.id,
            code: 'UNPARSABLE_RANGE_EVENT',
            event: 'introduced',
            value: '1.0',
            rule: 'COERCED',
            readAs: ['introduced 1.0.0'],
          },
        ],
      },
    });
    expect(byId.get(clean.id)?.advisoryDiagnostics).toMatchObject({ total: 0, byRule: {}, sample: [] });
  });

  it('keeps every finding of a record with 100k unreadable events to a few KB of diagnostics', async () => {
    const affected: OsvRecord['affected'] = [
      {
        package: { ecosystem: 'npm', name: 'lodash' },
        ranges: [
          {
            type: 'SEMVER',
            events: [{ introduced: '0' }, ...Array.from({ length: 100_000 }, () => ({ fixed: 'x' }))],
          },
        ],
      },
    ];
    const hostile: OsvRecord = { id: 'GHSA-hostile', modified: '2024-01-01T00:00:00Z', affected };
    const dependencies = Array.from({ length: 10 }, (_, i) => ({
      ...dependency(`d${i}`, 'lodash', `4.17.${i}`),
      manifestPath: `app-${i}/package-lock.json`,
    }));
    const { persist, synced } = persistWith(
      dependencies,
      dependencies.map((d) => ({ dependencyId: d.id, vulnerabilityId: hostile.id })),
      [hostile],
    );
    await persist({ scanId: 's', orgId: 'o', repoId: 'r', snapshotId: 'snap' });

    expect(synced[0]).toHaveLength(10);
    for (const finding of synced[0]!) {
      expect(finding.advisoryDiagnostics).toMatchObject({
        total: 100_000,
        byRule: { RANGE_LEFT_OPEN: 100_000 },
      });
      expect(finding.advisoryDiagnostics!.sample).toHaveLength(20);
      expect(JSON.stringify(finding.advisoryDiagnostics).length).toBeLessThan(8 * 1024);
    }
  });
});

// A finding the snapshot did not see in a manifest it could not read may still be there: the sync
// is told which manifests those are, so it leaves their findings open.
describe('persist: findings of manifests the snapshot could not read', () => {
  const input = { orgId: 'o', repoId: 'r', snapshotId: 's', scanId: 'sc' };

  it('names the unread manifests, and only those', async () => {
    const { persist, unread } = persistWith(
      [],
      [],
      [],
      [
        manifest('web/package-lock.json', [
          { severity: 'error', code: 'EMPTY_FILE', message: 'web/package-lock.json is empty' },
        ]),
        manifest('Gemfile.lock', [{ severity: 'warning', code: 'INVALID_SYNTAX', message: 'cut', line: 3 }]),
        manifest('requirements.txt', [{ severity: 'info', code: 'UNPINNED', message: 'flask' }]),
      ],
    );
    await persist(input);
    expect(unread).toEqual([{ all: false, paths: ['web/package-lock.json', 'Gemfile.lock'] }]);
  });

  it('keeps every finding when the fetch found no manifest at all', async () => {
    const { persist, unread } = persistWith([], [], [], []);
    await persist(input);
    expect(unread).toEqual([{ all: true, paths: [] }]);
  });

  it('lets a fully read snapshot close what it no longer has', async () => {
    const { persist, unread } = persistWith([], [], []);
    await persist(input);
    expect(unread).toEqual([{ all: false, paths: [] }]);
  });
});
