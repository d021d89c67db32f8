// The repo-scan workflow's steps as stubs that always succeed: workflow tests and history scenarios
// override the steps their branch needs. Relative imports only: the history recorder loads this
// outside Jest's module mapper.
import { Context } from '@temporalio/activity';
import type { Activities } from '@repoguard/activities';
import { createRematchSnapshotActivity } from '../../libs/activities/src/scan/rematch-snapshot.activity';
import { gate } from './gate';

export type ScanActivities = Pick<
  Activities,
  | 'fetchManifest'
  | 'parse'
  | 'osvQuery'
  | 'persist'
  | 'evaluatePolicy'
  | 'recordScanFailure'
  | 'beginRematch'
  | 'closeScan'
>;
export type StepName = keyof ScanActivities;

export type StepInput<K extends StepName> = Parameters<ScanActivities[K]>[0];

/**
 * The steps with a re-match's one activity (rematchSnapshot) made of them, as the worker makes its
 * own: a re-match then runs these steps, on the re-match's task queue.
 */
export function withRematchSnapshot<T extends ScanActivities>(
  steps: T,
): T & Pick<Activities, 'rematchSnapshot'> {
  return { ...steps, rematchSnapshot: createRematchSnapshotActivity(steps) };
}

export const scanHappyPath: ScanActivities = {
  fetchManifest: async (input) => ({
    commitSha: input.commitSha ?? 'head-of-main',
    ref: input.ref ?? 'refs/heads/main',
    manifests: [{ path: 'package-lock.json', blobSha: 'blob-1', size: 120 }],
  }),
  parse: async (input) => ({ snapshotId: `snapshot-of-${input.commitSha}`, dependencies: 12, reused: false }),
  osvQuery: async () => ({ queried: 12, vulnerabilities: 3, fetched: 3 }),
  persist: async () => ({ open: 2, opened: 2, fixed: 1 }),
  evaluatePolicy: async () => ({ status: 'WARN', policyVersion: null, reasons: 1 }),
  recordScanFailure: async () => undefined,
  beginRematch: async (input) => ({ commitSha: 'commit-of-stored-snapshot', snapshotId: input.snapshotId }),
  closeScan: async () => undefined,
};

/** One step a worker ran: what it was given, on which task queue, and how it ended. */
export interface StepCall {
  readonly step: StepName;
  readonly taskQueue: string;
  readonly input: Record<string, unknown>;
  /** Set when the step ended (returned or threw), in the order steps ended. */
  ended?: number;
  outcome?: 'returned' | 'threw';
}

/**
 * The steps as a worker's activities, each call recorded before it runs. A re-match's one activity
 * runs the recorded steps: its calls show as theirs.
 */
export function recordedSteps(steps: ScanActivities) {
  const calls: StepCall[] = [];
  let endings = 0;
  const activities = Object.fromEntries(
    (Object.keys(steps) as StepName[]).map((step) => {
      const run = steps[step] as (input: unknown) => Promise<unknown>;
      const recorded = async (input: Record<string, unknown>) => {
        const call: StepCall = { step, taskQueue: Context.current().info.taskQueue, input };
        calls.push(call);
        try {
          const result = await run(input);
          call.outcome = 'returned';
          return result;
        } catch (error) {
          call.outcome = 'threw';
          throw error;
        } finally {
          call.ended = ++endings;
        }
      };
      return [step, recorded];
    }),
  ) as unknown as ScanActivities;
  return { activities: withRematchSnapshot(activities), calls };
}

/** A fetchManifest stub that holds the n-th fetch at FETCHING until the caller releases it. */
export function holdFetch(n = 1, then: ScanActivities['fetchManifest'] = scanHappyPath.fetchManifest) {
  const begun = gate();
  const release = gate();
  let fetches = 0;
  const fetchManifest: ScanActivities['fetchManifest'] = async (input) => {
    if (++fetches === n) {
      begun.open();
      await release.opened;
    }
    return then(input);
  };
  return { fetchManifest, begun: begun.opened, release: release.open };
}
