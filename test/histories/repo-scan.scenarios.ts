// The repo-scan workflow's branches, each run for real on a dev server with stub activities so the
// run takes exactly the branch named; scripts/record-histories.ts writes what each run recorded.
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { Activities } from '@repoguard/activities';
import type { RepoScanInput, RepoScanResult, ScanRequest } from '@repoguard/contract';
import {
  ORG_BUSY_FAILURE,
  REPO_DISCONNECTED_FAILURE,
  REPO_SCAN_WORKFLOW,
  scanRequestedSignal,
} from '../../libs/contract/src/repo-scan.contract';
import {
  activityQueues,
  closingEvent,
  expectBranch,
  gate,
  patchIds,
  pause,
  type HistoryScenario,
  type RecordingContext,
} from './history-recorder';

type ScanActivities = Pick<
  Activities,
  'fetchManifest' | 'parse' | 'osvQuery' | 'persist' | 'evaluatePolicy' | 'recordScanFailure' | 'beginRematch'
>;

const happyPath: ScanActivities = {
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
};

const SCAN_STEPS = ['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy'].map(
  (step) => `ActivityTaskScheduled:${step}`,
);
const SIGNAL = 'WorkflowExecutionSignaled:scanRequested';
const CONTINUED = 'WorkflowExecutionContinuedAsNew';
const COMPLETED = 'WorkflowExecutionCompleted';

const push = (commitSha: string, extra: Partial<ScanRequest> = {}): ScanRequest => ({
  trigger: 'push',
  commitSha,
  ref: 'refs/heads/main',
  requestedBy: `github:${commitSha}`,
  requestId: `delivery-${commitSha}`,
  ...extra,
});

/** A fetchManifest stub holding the n-th fetch until the scenario releases it. */
function holdFetch(n = 1, then: ScanActivities['fetchManifest'] = happyPath.fetchManifest) {
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

/** One repository's scan workflow in a scenario: requests sent as the API and webhooks send them. */
function repoScan(context: RecordingContext, input: Partial<RepoScanInput> = {}) {
  const workflowId = `repo-scan:${context.taskQueue}`;
  const args: RepoScanInput = {
    orgId: 'org-recorded',
    repoId: context.taskQueue,
    owner: 'acme',
    name: 'payments',
    quietWindowMs: 200,
    maxWaitMs: 5_000,
    ...input,
  };
  let firstRunId: string | undefined;
  return {
    workflowId,
    get firstRunId(): string {
      if (!firstRunId) throw new Error('no request sent yet');
      return firstRunId;
    },
    async request(request: ScanRequest): Promise<void> {
      const handle = await context.client.workflow.signalWithStart<
        (input: RepoScanInput) => Promise<RepoScanResult>,
        [ScanRequest]
      >(REPO_SCAN_WORKFLOW, {
        workflowId,
        taskQueue: context.taskQueue,
        args: [args],
        signal: scanRequestedSignal,
        signalArgs: [request],
      });
      firstRunId ??= handle.signaledRunId;
    },
    /** The last run's result, following continue-as-new. */
    result(): Promise<RepoScanResult> {
      const handle: WorkflowHandle<(input: RepoScanInput) => Promise<RepoScanResult>> =
        context.client.workflow.getHandle(workflowId);
      return handle.result();
    },
    async lastRunId(): Promise<string> {
      return (await context.client.workflow.getHandle(workflowId).describe()).runId;
    },
  };
}

/** Scans one request to its end and returns the single run's history. */
async function scanOnce(
  context: RecordingContext,
  request: ScanRequest,
  stubs: Partial<ScanActivities> = {},
) {
  const scan = repoScan(context);
  const result = await context.withWorker({ ...happyPath, ...stubs }, async () => {
    await scan.request(request);
    return scan.result();
  });
  return { result, history: await context.history(scan.workflowId, scan.firstRunId) };
}

export const repoScanScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'repo-scan',
    branches: ['completed'],
    covers: 'one API request without a correlation id, debounced and scanned to COMPLETED',
    async record(context) {
      const { history } = await scanOnce(context, {
        trigger: 'api',
        requestedBy: 'user:alice',
        requestId: 'api-request-1',
      });
      expectBranch('completed', history, { has: [...SCAN_STEPS, COMPLETED], count: { [SIGNAL]: 1 } });
      if (patchIds(history).length > 0) throw new Error('completed: a patch marker without a correlation id');
      return { completed: history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['correlation-memo'],
    covers: "a push with a correlation id: the `memo-correlation-id` patch's marker and the memo upsert",
    async record(context) {
      const { history } = await scanOnce(context, push('c0ffee01', { correlationId: 'delivery-c0ffee01' }));
      expectBranch('correlation-memo', history, {
        has: ['MarkerRecorded:core_patch', 'WorkflowPropertiesModified', ...SCAN_STEPS, COMPLETED],
      });
      if (!patchIds(history).includes('memo-correlation-id')) {
        throw new Error(`correlation-memo: patches recorded: ${patchIds(history).join(', ') || 'none'}`);
      }
      return { 'correlation-memo': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['coalesced-requests'],
    covers: 'three pushes inside the quiet window: the debounce timer restarted, one scan of the newest',
    async record(context) {
      const scan = repoScan(context, { quietWindowMs: 1_500, maxWaitMs: 20_000 });
      await context.withWorker(happyPath, async () => {
        for (const sha of ['aaaa0001', 'aaaa0002', 'aaaa0003']) {
          await scan.request(push(sha));
          await pause(300);
        }
        return scan.result();
      });
      const history = await context.history(scan.workflowId, scan.firstRunId);
      expectBranch('coalesced-requests', history, {
        has: ['TimerCanceled', ...SCAN_STEPS, COMPLETED],
        count: { [SIGNAL]: 3, 'ActivityTaskScheduled:fetchManifest': 1 },
      });
      return { 'coalesced-requests': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['max-wait-reached'],
    covers: 'a steady stream of pushes: the scan starts at the maximum wait, not after a quiet window',
    async record(context) {
      const scan = repoScan(context, { quietWindowMs: 1_000, maxWaitMs: 1_500 });
      let n = 0;
      await context.withWorker(happyPath, async () => {
        const started = Date.now();
        while (Date.now() - started < 2_500) {
          await scan.request(push(`bbbb${String(++n).padStart(4, '0')}`));
          await pause(150);
        }
        return scan.result();
      });
      const history = await context.history(scan.workflowId, scan.firstRunId);
      // The scan began while pushes still came: some arrived after it started and went to a follow-up.
      expectBranch('max-wait-reached', history, { has: [...SCAN_STEPS, CONTINUED] });
      return { 'max-wait-reached': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['carried-requests', 'carried-requests-follow-up'],
    covers:
      'a push during a scan: the run continues as new carrying it (and the served requests); the follow-up run scans it without a signal',
    async record(context) {
      const held = holdFetch(1);
      const scan = repoScan(context);
      await context.withWorker({ ...happyPath, fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('cccc0001', { sequence: 1 }));
        await held.begun;
        await scan.request(push('cccc0002', { sequence: 2 }));
        held.release();
        return scan.result();
      });
      const first = await context.history(scan.workflowId, scan.firstRunId);
      const followUpRunId = await scan.lastRunId();
      const followUp = await context.history(scan.workflowId, followUpRunId);
      expectBranch('carried-requests', first, { has: [...SCAN_STEPS, CONTINUED], count: { [SIGNAL]: 2 } });
      expectBranch('carried-requests-follow-up', followUp, {
        has: [...SCAN_STEPS, COMPLETED],
        count: { [SIGNAL]: 0 },
      });
      return { 'carried-requests': first, 'carried-requests-follow-up': followUp };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['debounce-continue-as-new', 'debounce-continue-as-new-follow-up'],
    covers:
      'a flood while debouncing: Temporal suggests continue-as-new (the recorder lowers the threshold) and the run hands its requests over before scanning',
    async record(context) {
      const scan = repoScan(context, { quietWindowMs: 2_000, maxWaitMs: 60_000 });
      await context.withWorker(happyPath, async () => {
        for (let n = 1; ; n++) {
          await scan.request(push(`dddd${String(n).padStart(4, '0')}`));
          if (n % 5 === 0 && (await scan.lastRunId()) !== scan.firstRunId) break;
          if (n > 2_000)
            throw new Error('debounce-continue-as-new: the server never suggested continue-as-new');
          await pause(20);
        }
        return scan.result();
      });
      const first = await context.history(scan.workflowId, scan.firstRunId);
      const second = await context.history(
        scan.workflowId,
        await nextRunId(context, scan.workflowId, scan.firstRunId),
      );
      expectBranch('debounce-continue-as-new', first, {
        has: [CONTINUED],
        lacks: ['ActivityTaskScheduled:fetchManifest'],
      });
      expectBranch('debounce-continue-as-new-follow-up', second, { has: ['WorkflowExecutionStarted'] });
      return { 'debounce-continue-as-new': first, 'debounce-continue-as-new-follow-up': second };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch'],
    covers:
      'an advisory re-match of a stored snapshot: beginRematch instead of fetch and parse, on the re-match queue',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const scan = repoScan(context);
      await context.withWorker(
        happyPath,
        async () => {
          await scan.request({
            trigger: 'advisory',
            requestedBy: 'system:advisories',
            correlationId: 'advisory-sync@recorded',
            snapshotId: 'snapshot-recorded',
            taskQueue: rematchQueue,
          });
          return scan.result();
        },
        { activitiesOnlyQueue: rematchQueue },
      );
      const history = await context.history(scan.workflowId, scan.firstRunId);
      expectBranch('rematch', history, {
        has: ['ActivityTaskScheduled:beginRematch', 'ActivityTaskScheduled:osvQuery', COMPLETED],
        lacks: ['ActivityTaskScheduled:fetchManifest', 'ActivityTaskScheduled:parse'],
      });
      const elsewhere = activityQueues(history).filter((a) => a.taskQueue !== rematchQueue);
      if (elsewhere.length > 0)
        throw new Error(`rematch: steps off the re-match queue: ${JSON.stringify(elsewhere)}`);
      return { rematch: history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['failed-step'],
    covers: 'a step failing for good: recordScanFailure runs and the run ends FAILED',
    async record(context) {
      const { result, history } = await scanOnce(context, push('eeee0001'), {
        fetchManifest: async () => {
          throw ApplicationFailure.nonRetryable('no manifest could be read', 'MANIFEST_UNREADABLE');
        },
      });
      expectBranch('failed-step', history, {
        has: ['ActivityTaskFailed', 'ActivityTaskScheduled:recordScanFailure', COMPLETED],
        lacks: ['ActivityTaskScheduled:parse'],
      });
      if (result.phase !== 'FAILED') throw new Error(`failed-step: the scan ended ${result.phase}`);
      return { 'failed-step': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['repo-disconnected'],
    covers:
      'the repository disconnected mid-scan with a request pending: the failure is recorded, no follow-up run',
    async record(context) {
      const held = holdFetch(1, async () => {
        throw ApplicationFailure.nonRetryable('repository disconnected', REPO_DISCONNECTED_FAILURE);
      });
      const scan = repoScan(context);
      await context.withWorker({ ...happyPath, fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('ffff0001'));
        await held.begun;
        await scan.request(push('ffff0002'));
        held.release();
        return scan.result();
      });
      const history = await context.history(scan.workflowId, scan.firstRunId);
      expectBranch('repo-disconnected', history, {
        has: ['ActivityTaskScheduled:recordScanFailure', COMPLETED],
        lacks: [CONTINUED],
        count: { [SIGNAL]: 2 },
      });
      return { 'repo-disconnected': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['duplicate-request'],
    covers:
      'the outbox relaying again: a copy of the request being scanned is dropped, a late older push is acknowledged as served; no follow-up run',
    async record(context) {
      const held = holdFetch(1);
      const scan = repoScan(context);
      await context.withWorker({ ...happyPath, fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('abab0002', { sequence: 2 }));
        await held.begun;
        await scan.request(push('abab0002', { sequence: 2 }));
        await scan.request(push('abab0001', { sequence: 1 }));
        held.release();
        return scan.result();
      });
      const history = await context.history(scan.workflowId, scan.firstRunId);
      expectBranch('duplicate-request', history, {
        has: [...SCAN_STEPS, COMPLETED],
        lacks: [CONTINUED],
        count: { [SIGNAL]: 3, 'ActivityTaskScheduled:fetchManifest': 1 },
      });
      return { 'duplicate-request': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['org-busy'],
    covers: 'a step a worker turned away (ORG_BUSY): the workflow waits on a timer and asks for it again',
    async record(context) {
      let turnedAway = false;
      const { history } = await scanOnce(context, push('acac0001'), {
        fetchManifest: async (input) => {
          if (!turnedAway) {
            turnedAway = true;
            throw ApplicationFailure.create({
              type: ORG_BUSY_FAILURE,
              message: 'org busy',
              nonRetryable: true,
            });
          }
          return happyPath.fetchManifest(input);
        },
      });
      expectBranch('org-busy', history, {
        has: ['ActivityTaskFailed', ...SCAN_STEPS, COMPLETED],
        count: { 'ActivityTaskScheduled:fetchManifest': 2, TimerStarted: 2 },
      });
      return { 'org-busy': history };
    },
  },
];

/** The run a continue-as-new started: the first run's closing event names it. */
async function nextRunId(context: RecordingContext, workflowId: string, runId: string): Promise<string> {
  const history = await context.history(workflowId, runId);
  if (closingEvent(history) !== CONTINUED) throw new Error(`${runId} did not continue as new`);
  const last = history.events![history.events!.length - 1]!;
  return last.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId!;
}
