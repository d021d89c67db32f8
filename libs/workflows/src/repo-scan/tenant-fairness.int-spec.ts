import type { Activities } from '@repoguard/activities';
import { ORG_BUSY_FAILURE, type RepoScanResult } from '@repoguard/contract';
import { OrgScanSlots, orgScanSlotsInterceptor } from '@repoguard/infrastructure';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { RepoScanClient, repoScanInput } from '../../../../test/support/repo-scan-client';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';

// One org floods a worker with scans while another org asks for one scan: on the dev server as the
// tests and `npm run up` start it (fairness keys honoured), with stubbed steps that record when
// they start, so the assertions are about order, not about how fast this machine is.

type ScanActivities = Pick<
  Activities,
  'fetchManifest' | 'parse' | 'osvQuery' | 'persist' | 'evaluatePolicy' | 'recordScanFailure' | 'beginRematch'
>;

interface StepStart {
  readonly orgId: string;
  readonly step: string;
  readonly at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Steps that record their start; fetchManifest takes as long as `fetch` says. */
function recordingSteps(fetch: (orgId: string) => Promise<void>) {
  const starts: StepStart[] = [];
  const running = new Map<string, number>();
  const mostAtOnce = new Map<string, number>();
  const step =
    <I extends { orgId: string }, R>(name: string, work: (input: I) => Promise<R>) =>
    async (input: I): Promise<R> => {
      starts.push({ orgId: input.orgId, step: name, at: Date.now() });
      const now = (running.get(input.orgId) ?? 0) + 1;
      running.set(input.orgId, now);
      mostAtOnce.set(input.orgId, Math.max(now, mostAtOnce.get(input.orgId) ?? 0));
      try {
        return await work(input);
      } finally {
        running.set(input.orgId, (running.get(input.orgId) ?? 1) - 1);
      }
    };
  const activities: ScanActivities = {
    fetchManifest: step('fetchManifest', async (input) => {
      await fetch(input.orgId);
      return {
        commitSha: 'c1',
        ref: 'refs/heads/main',
        manifests: [{ path: 'go.mod', blobSha: 'b', size: 9 }],
      };
    }),
    parse: step('parse', async (input) => ({
      snapshotId: `s-${input.repoId}`,
      dependencies: 1,
      reused: false,
    })),
    osvQuery: step('osvQuery', async () => ({ queried: 1, vulnerabilities: 0, fetched: 0 })),
    persist: step('persist', async () => ({ open: 0, opened: 0, fixed: 0 })),
    evaluatePolicy: step('evaluatePolicy', async () => ({ status: 'OK', policyVersion: null, reasons: 0 })),
    recordScanFailure: async () => undefined,
    beginRematch: async (input) => ({ commitSha: 'c1', snapshotId: input.snapshotId }),
  };
  return {
    activities,
    starts,
    mostAtOnce: (orgId: string) => mostAtOnce.get(orgId) ?? 0,
  };
}

describe('one org flooding the scan queue', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  /** A worker on a queue of the test's own; scans started as the API asks (signal-with-start). */
  async function fixture(options: { slots: number; interceptors?: ActivityInterceptorsFactory[] }) {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'tenant-fairness');
    const flooder = `org-flood-${taskQueue}`;
    const other = `org-other-${taskQueue}`;
    const scan = async (orgId: string, repo: string) => {
      const client = new RepoScanClient(
        temporal.client,
        taskQueue,
        repoScanInput(`${taskQueue}-${repo}`, {
          orgId,
          owner: orgId,
          name: repo,
          quietWindowMs: 50,
          maxWaitMs: 1_000,
          heartbeatTimeoutMs: 60_000,
        }),
      );
      // No priority on the start: the steps' own fairness keys (scan-steps.ts) are under test.
      await client.request({ trigger: 'api', requestedBy: 'test' });
      return client.handle;
    };
    const worker = (activities: ScanActivities) =>
      temporal.createWorker({
        taskQueue,
        activities,
        maxConcurrentActivityTaskExecutions: options.slots,
        ...(options.interceptors ? { interceptors: { activity: options.interceptors } } : {}),
      });
    return { flooder, other, scan, worker };
  }

  it("hands another org's step out before the flooding org's backlog (fairness keys)", async () => {
    const { flooder, other, scan, worker } = await fixture({ slots: 1 });
    // Each of the flood's fetches holds the slot for a second: the other org's first step is queued
    // while most of the flood still waits, even when this machine is busy (at 300 ms, a loaded run
    // queued it behind all but 3 of them and the precondition below failed).
    const steps = recordingSteps(async (orgId) => {
      if (orgId === flooder) await sleep(1_000);
    });
    const running = await worker(steps.activities);

    const seen = await running.runUntil(async () => {
      const flood = await Promise.all(Array.from({ length: 8 }, (_, i) => scan(flooder, `repo-${i}`)));
      // The flooder's first step holds the one slot; its other scans' steps wait in the queue.
      while (steps.starts.length === 0) await sleep(20);
      const mine = await scan(other, 'repo');
      const result = await mine.result();
      await Promise.all(flood.map((h) => h.result()));
      // From when the server queued the other org's first step to when a worker started it.
      const queuedAt = await firstStepScheduledAt(mine);
      const startedAt = steps.starts.find((s) => s.orgId === other)!.at;
      const flooderFetches = steps.starts.filter((s) => s.orgId === flooder && s.step === 'fetchManifest');
      return {
        result,
        pendingWhenQueued: flooderFetches.filter((s) => s.at > queuedAt).length,
        startedMeanwhile: flooderFetches.filter((s) => s.at > queuedAt && s.at < startedAt).length,
      };
    });

    expect(seen.result.phase).toBe('COMPLETED');
    // First in, first out would have run every one of these before the other org's step...
    expect(seen.pendingWhenQueued).toBeGreaterThanOrEqual(4);
    // ...instead it waited for the slot to free, and at most one of the flood's steps queued before it.
    expect(seen.startedMeanwhile).toBeLessThanOrEqual(1);
  });

  it("never gives one org more than its share of a worker's slots, and the other org's scan completes while the flood's steps hang", async () => {
    const hung = gate();
    const slots = new OrgScanSlots(1);
    const { flooder, other, scan, worker } = await fixture({
      slots: 2,
      interceptors: [orgScanSlotsInterceptor(slots)],
    });
    const steps = recordingSteps(async (orgId) => {
      if (orgId === flooder) await hung.opened;
    });
    const running = await worker(steps.activities);

    const seen = await running.runUntil(async () => {
      const flood = await Promise.all(Array.from({ length: 5 }, (_, i) => scan(flooder, `repo-${i}`)));
      // One of the flood's steps hangs in a slot; the others are turned away.
      while (steps.starts.length === 0) await sleep(20);
      const mine = await scan(other, 'repo');
      // Were the flood to hold both slots, this would never finish (the test's timeout fails it).
      const result: RepoScanResult = await mine.result();
      const flooderStepsDone = steps.starts.filter((s) => s.orgId === flooder).length;
      hung.open();
      const floodResults = await Promise.all(flood.map((h) => h.result()));
      const busyTurns = await Promise.all(flood.map((h) => orgBusyFailures(h)));
      return { result, flooderStepsDone, floodResults, busyTurns: busyTurns.reduce((a, b) => a + b, 0) };
    });

    expect(seen.result).toMatchObject({ phase: 'COMPLETED', policyStatus: 'OK' });
    // While the other org's scan ran start to end, the flood was still at its first (hung) step.
    expect(seen.flooderStepsDone).toBe(1);
    expect(steps.mostAtOnce(flooder)).toBe(1);
    // The flood's steps were turned away and asked again, then every one of its scans completed.
    expect(seen.busyTurns).toBeGreaterThan(0);
    expect(seen.floodResults.map((r) => r.phase)).toEqual(Array(5).fill('COMPLETED'));
    expect(slots.heldBy(flooder)).toBe(0);
  }, 120_000);
});

type History = { events?: unknown[] | null };

async function firstStepScheduledAt(handle: { fetchHistory(): Promise<History> }): Promise<number> {
  const { events } = await handle.fetchHistory();
  const scheduled = (events ?? []).find(
    (e) => (e as { activityTaskScheduledEventAttributes?: unknown }).activityTaskScheduledEventAttributes,
  ) as { eventTime?: { seconds?: unknown; nanos?: number | null } } | undefined;
  const time = scheduled?.eventTime;
  if (!time) throw new Error('the scan scheduled no step');
  return Number(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}

async function orgBusyFailures(handle: { fetchHistory(): Promise<History> }) {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter(
    (e) =>
      (
        e as {
          activityTaskFailedEventAttributes?: { failure?: { applicationFailureInfo?: { type?: string } } };
        }
      ).activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type === ORG_BUSY_FAILURE,
  ).length;
}
