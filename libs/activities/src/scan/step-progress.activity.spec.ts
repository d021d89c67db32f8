import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type {
  DesiredFinding,
  FindingRepository,
  OsvRecord,
  PackageVersionQuery,
  ScanRepository,
  SnapshotRepository,
  StoredDependency,
  VulnerabilityCache,
  VulnerabilityDatabase,
} from '@repoguard/domain';
import { createOsvQueryActivity, type OsvQueryProgress } from './osv-query.activity';
import { createPersistActivity } from './persist.activity';

// Steps under Temporal's activity context (MockActivityEnvironment): a cancelled step writes
// nothing after the news reached it, and a retried osvQuery resumes from its heartbeat details.

const ref = { scanId: 'scan-1', orgId: 'org-1', repoId: 'repo-1', snapshotId: 'snap-1' };

const dependency = (n: number): StoredDependency => ({
  id: `d${n}`,
  ecosystem: 'npm',
  name: `pkg-${n}`,
  version: '1.0.0',
  scope: 'runtime',
  direct: true,
  manifestPath: 'package-lock.json',
  purl: `pkg:npm/pkg-${n}@1.0.0`,
});

const advisory = (id: string, name: string): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
});

/** A promise the test settles. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('persist, cancelled', () => {
  it('writes no finding and no timing once cancelled, and ends as cancelled', async () => {
    const reading = gate();
    const cancelled = gate();
    const writes: string[] = [];
    const record = advisory('GHSA-aaaa', 'pkg-1');
    const snapshots = {
      dependencies: async () => [dependency(1)],
      // Holds the read until the test has cancelled the step: the cancellation arrives mid-step.
      matches: async () => {
        reading.open();
        await cancelled.opened;
        return [{ dependencyId: 'd1', vulnerabilityId: record.id }];
      },
      manifests: async () => [],
    } as unknown as SnapshotRepository;
    const vulnerabilityCache = {
      get: async () => new Map([[record.id, record]]),
    } as unknown as VulnerabilityCache;
    const findings = {
      sync: async (input: { findings: readonly DesiredFinding[] }) => {
        writes.push(`findings ${input.findings.length}`);
        return { opened: input.findings.length, stillOpen: 0, fixed: 0 };
      },
    } as unknown as FindingRepository;
    const scans = {
      phase: async (_id: string, phase: string) => void writes.push(`phase ${phase}`),
      recordPhase: async (_id: string, phase: string) => void writes.push(`timing ${phase}`),
    } as unknown as ScanRepository;
    const persist = createPersistActivity({
      snapshots,
      vulnerabilityCache,
      findings,
      scans,
      now: () => new Date(),
    });

    const env = new MockActivityEnvironment();
    const running = env.run(persist, ref);
    await reading.opened;
    env.cancel();
    cancelled.open();

    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    // The phase was written before the news came; nothing after it.
    expect(writes).toEqual(['phase PERSISTING']);
  });
});

describe('osvQuery, retried', () => {
  function osvQueryWith(dependencies: StoredDependency[], records: OsvRecord[]) {
    const asked: PackageVersionQuery[][] = [];
    const stored: { dependencyId: string; vulnerabilityId: string }[][] = [];
    const vulnerabilityDatabase: VulnerabilityDatabase = {
      queryBatch: async (queries) => {
        asked.push([...queries]);
        return queries.map((q) =>
          records
            .filter((r) => r.affected?.some((a) => a.package?.name === q.name))
            .map((r) => ({ id: r.id, modified: r.modified })),
        );
      },
      getVulnerability: async (id) => records.find((r) => r.id === id)!,
      withdrawn: async () => new Set<string>(),
    };
    const vulnerabilityCache = {
      modified: async () => new Map<string, string>(),
      upsert: async () => undefined,
    } as unknown as VulnerabilityCache;
    const snapshots = {
      dependencies: async () => dependencies,
      replaceMatches: async (_s: unknown, matches: { dependencyId: string; vulnerabilityId: string }[]) =>
        void stored.push([...matches]),
    } as unknown as SnapshotRepository;
    const scans = {
      phase: async () => undefined,
      recordPhase: async () => undefined,
    } as unknown as ScanRepository;
    const osvQuery = createOsvQueryActivity({
      vulnerabilityDatabase,
      vulnerabilityCache,
      snapshots,
      scans,
      batchSize: 2,
    });
    return { osvQuery, asked, stored };
  }

  const five = [1, 2, 3, 4, 5].map(dependency);
  const records = [advisory('GHSA-one', 'pkg-1'), advisory('GHSA-five', 'pkg-5')];

  it('reports each batch done in its heartbeat details', async () => {
    const { osvQuery, asked } = osvQueryWith(five, records);
    const env = new MockActivityEnvironment();
    const beats: OsvQueryProgress[] = [];
    env.on('heartbeat', (details: OsvQueryProgress) => beats.push(details));
    await env.run(osvQuery, ref);
    expect(asked.map((batch) => batch.map((q) => q.name))).toEqual([
      ['pkg-1', 'pkg-2'],
      ['pkg-3', 'pkg-4'],
      ['pkg-5'],
    ]);
    expect(beats.map((b) => b.batchesDone)).toEqual([1, 2, 3]);
    expect(beats[0]).toEqual({
      snapshotId: ref.snapshotId,
      queries: 5,
      batchSize: 2,
      batchesDone: 1,
      found: [[0, [{ id: 'GHSA-one', modified: '2026-01-01T00:00:00Z' }]]],
    });
  });

  it('skips the batches its previous attempt did and keeps their answers', async () => {
    const { osvQuery, asked, stored } = osvQueryWith(five, records);
    const previous: OsvQueryProgress = {
      snapshotId: ref.snapshotId,
      queries: 5,
      batchSize: 2,
      batchesDone: 2,
      found: [[0, [{ id: 'GHSA-one', modified: '2026-01-01T00:00:00Z' }]]],
    };
    const env = new MockActivityEnvironment({ heartbeatDetails: previous, attempt: 2 });
    const result = await env.run(osvQuery, ref);
    // Only the last batch is asked again.
    expect(asked.map((batch) => batch.map((q) => q.name))).toEqual([['pkg-5']]);
    expect(stored).toEqual([
      [
        { dependencyId: 'd1', vulnerabilityId: 'GHSA-one' },
        { dependencyId: 'd5', vulnerabilityId: 'GHSA-five' },
      ],
    ]);
    expect(result).toEqual({ queried: 5, vulnerabilities: 2, fetched: 2 });
  });

  it('starts over when its previous attempt had too many answers to keep', async () => {
    const { osvQuery, asked } = osvQueryWith(five, records);
    const env = new MockActivityEnvironment({
      heartbeatDetails: { snapshotId: ref.snapshotId, queries: 5, batchSize: 2, batchesDone: 2, found: null },
      attempt: 2,
    });
    await env.run(osvQuery, ref);
    expect(asked).toHaveLength(3);
  });

  it('starts over when the details do not fit the snapshot (another batch size, say)', async () => {
    const { osvQuery, asked } = osvQueryWith(five, records);
    const env = new MockActivityEnvironment({
      heartbeatDetails: {
        snapshotId: ref.snapshotId,
        queries: 5,
        batchSize: 1000,
        batchesDone: 1,
        found: [],
      },
      attempt: 2,
    });
    await env.run(osvQuery, ref);
    expect(asked).toHaveLength(3);
  });

  // A re-match runs this step inside rematchSnapshot, whose retry may open a newer snapshot: the
  // progress of the snapshot the last attempt matched (of the same size, say) must not be taken over.
  it.each([
    ['another snapshot', { snapshotId: 'snapshot-matched-before' }],
    ['no snapshot named (details of an attempt before the tag)', {}],
  ])('starts over when the details are of %s', async (_case, tag) => {
    const { osvQuery, asked, stored } = osvQueryWith(five, records);
    const env = new MockActivityEnvironment({
      heartbeatDetails: { ...tag, queries: 5, batchSize: 2, batchesDone: 3, found: [] },
      attempt: 2,
    });
    await env.run(osvQuery, ref);
    expect(asked).toHaveLength(3);
    expect(stored[0]).toHaveLength(2);
  });
});
