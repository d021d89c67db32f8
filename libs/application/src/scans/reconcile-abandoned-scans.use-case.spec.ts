import type { ScanRepository, ScanRunLookup, ScanRunState, UnfinishedScan } from '@repoguard/domain';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { ReconcileAbandonedScans } from './reconcile-abandoned-scans.use-case';

const NOW = new Date('2026-12-06T10:00:00Z');

const scan = (id: string, minutesAgo: number): UnfinishedScan => ({
  scanId: id,
  repoId: 'repo-1',
  workflowId: 'repo-scan:repo-1',
  runId: `run-of-${id}`,
  promisedByRunId: null,
  createdAt: new Date(NOW.getTime() - minutesAgo * 60_000),
});

function setUp(rows: UnfinishedScan[], states: Record<string, ScanRunState | Error>) {
  const closed: string[] = [];
  const asked: { createdBefore: Date; limit: number; after: unknown }[] = [];
  const scans = {
    unfinished: async (createdBefore: Date, limit: number, after?: unknown) => {
      asked.push({ createdBefore, limit, after });
      return rows.filter((r) => r.createdAt < createdBefore).slice(0, limit);
    },
    abandon: async (scanId: string, code: string) => {
      closed.push(`${scanId}:${code}`);
      return true;
    },
  } as unknown as ScanRepository;
  const runs: ScanRunLookup = {
    stateOf: async (s) => {
      const state = states[s.scanId]!;
      if (state instanceof Error) throw state;
      return state;
    },
  };
  const reconcile = new ReconcileAbandonedScans(new FakeUnitOfWork({ scans }), runs, () => NOW);
  return { reconcile, closed, asked };
}

describe('ReconcileAbandonedScans', () => {
  it('closes rows whose run ended, leaves open ones and those the engine could not tell about', async () => {
    const { reconcile, closed, asked } = setUp(
      [scan('a', 30), scan('b', 20), scan('c', 16), scan('young', 1)],
      {
        a: 'ended',
        b: 'open',
        c: new Error('Temporal unavailable'),
        young: 'ended',
      },
    );
    const round = await reconcile.execute({ graceMs: 15 * 60_000, limit: 10 });
    expect(round).toEqual({ checked: 3, abandoned: 1, open: 1, unknown: 1, next: null });
    expect(closed).toEqual(['a:SCAN_ABANDONED']);
    // Rows younger than the grace period are not even asked about.
    expect(asked[0]!.createdBefore).toEqual(new Date(NOW.getTime() - 15 * 60_000));
  });

  it('hands a cursor on after a full round, so open rows never hold the rest back', async () => {
    const { reconcile } = setUp([scan('a', 30), scan('b', 20)], { a: 'open', b: 'open' });
    const round = await reconcile.execute({ graceMs: 0, limit: 2 });
    expect(round.next).toEqual({ createdAt: scan('b', 20).createdAt, scanId: 'b' });
  });
});
