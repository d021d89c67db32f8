// The repo-scan workflow's branches, each run for real on a dev server with stub activities so the
// run takes exactly the branch named; scripts/record-histories.ts writes what each run recorded.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { RepoScanInput, RepoScanResult, ScanRequest } from '@repoguard/contract';
import {
  ORG_BUSY_FAILURE,
  REPO_DISCONNECTED_FAILURE,
  scanStatusQuery,
} from '../../libs/contract/src/repo-scan.contract';
import {
  activityQueues,
  closingEvent,
  expectBranch,
  patchIds,
  pause,
  type HistoryScenario,
  type RecordingContext,
} from './history-recorder';
import { RepoScanClient, repoScanInput } from '../support/repo-scan-client';
import { gate } from '../support/gate';
import { pushOf, rematchOf as rematchRequest } from '../support/scan-requests';
import {
  holdFetch,
  scanHappyPath as happyPath,
  withRematchSnapshot,
  type ScanActivities,
} from '../support/scan-step-stubs';

const SCAN_STEPS = ['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy'].map(
  (step) => `ActivityTaskScheduled:${step}`,
);
const SIGNAL = 'WorkflowExecutionSignaled:scanRequested';
const CONTINUED = 'WorkflowExecutionContinuedAsNew';
const COMPLETED = 'WorkflowExecutionCompleted';
const PATCH = 'MarkerRecorded:core_patch';

const push = (commitSha: string, extra: Partial<ScanRequest> = {}): ScanRequest =>
  pushOf(commitSha, { requestId: `delivery-${commitSha}`, ...extra });

/** One repository's scan workflow in a scenario, its steps run by the recorder's workers. */
class ScenarioScan extends RepoScanClient {
  constructor(
    private readonly context: RecordingContext,
    input: Partial<RepoScanInput> = {},
  ) {
    super(
      context.client,
      context.taskQueue,
      repoScanInput(context.taskQueue, { orgId: 'org-recorded', quietWindowMs: 200, ...input }),
    );
  }

  /** Runs the production bundle, the happy-path steps under `stubs`, until `work` settles. */
  withSteps<T>(
    stubs: Partial<ScanActivities>,
    work: () => Promise<T>,
    options?: { readonly activitiesOnlyQueue?: string },
  ): Promise<T> {
    return this.context.withWorker(withRematchSnapshot({ ...happyPath, ...stubs }), work, options);
  }

  /** A run's history: the first run's unless named. */
  history(runId = this.firstRunId) {
    return this.context.history(this.workflowId, runId);
  }

  /** The histories of the first run and of the run it continued into. */
  async firstTwoRuns() {
    const next = await nextRunId(this.context, this.workflowId, this.firstRunId);
    return Promise.all([this.history(), this.history(next)]);
  }
}

/** Scans one request to its end and returns the single run's history. */
async function scanOnce(
  context: RecordingContext,
  request: ScanRequest,
  stubs: Partial<ScanActivities> = {},
) {
  const scan = new ScenarioScan(context);
  const result = await scan.withSteps(stubs, async () => {
    await scan.request(request);
    return scan.result();
  });
  return { result, history: await scan.history() };
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
      const scan = new ScenarioScan(context, { quietWindowMs: 1_500, maxWaitMs: 20_000 });
      await scan.withSteps({}, async () => {
        for (const sha of ['aaaa0001', 'aaaa0002', 'aaaa0003']) {
          await scan.request(push(sha));
          await pause(300);
        }
        return scan.result();
      });
      const history = await scan.history();
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
      const scan = new ScenarioScan(context, { quietWindowMs: 1_000, maxWaitMs: 1_500 });
      let n = 0;
      await scan.withSteps({}, async () => {
        const started = Date.now();
        while (Date.now() - started < 2_500) {
          await scan.request(push(`bbbb${String(++n).padStart(4, '0')}`));
          await pause(150);
        }
        return scan.result();
      });
      const history = await scan.history();
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
      const scan = new ScenarioScan(context);
      await scan.withSteps({ fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('cccc0001', { sequence: 1 }));
        await held.begun;
        await scan.request(push('cccc0002', { sequence: 2 }));
        held.release();
        return scan.result();
      });
      const first = await scan.history();
      const followUpRunId = await scan.lastRunId();
      const followUp = await scan.history(followUpRunId);
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
      const scan = new ScenarioScan(context, { quietWindowMs: 2_000, maxWaitMs: 60_000 });
      await scan.withSteps({}, async () => {
        for (let n = 1; ; n++) {
          await scan.request(push(`dddd${String(n).padStart(4, '0')}`));
          if (n % 5 === 0 && (await scan.lastRunId()) !== scan.firstRunId) break;
          if (n > 2_000)
            throw new Error('debounce-continue-as-new: the server never suggested continue-as-new');
          await pause(20);
        }
        return scan.result();
      });
      const [first, second] = await scan.firstTwoRuns();
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
      const scan = new ScenarioScan(context);
      await scan.withSteps(
        {},
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
      const history = await scan.history();
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
      const scan = new ScenarioScan(context);
      await scan.withSteps({ fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('ffff0001'));
        await held.begun;
        await scan.request(push('ffff0002'));
        held.release();
        return scan.result();
      });
      const history = await scan.history();
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
      const scan = new ScenarioScan(context);
      await scan.withSteps({ fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('abab0002', { sequence: 2 }));
        await held.begun;
        await scan.request(push('abab0002', { sequence: 2 }));
        await scan.request(push('abab0001', { sequence: 1 }));
        held.release();
        return scan.result();
      });
      const history = await scan.history();
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
  // Issue 16 points 1-5: the branches behind the patches `rematch-yields-to-push`,
  // `rematch-served-by-scan`, `bounded-run` and `failure-record-survives`.
  {
    workflow: 'repo-scan',
    branches: ['rematch-yields-to-push', 'rematch-yields-to-push-follow-up'],
    covers:
      'a push during a re-match: the re-match steps are cancelled, its scan closed SUPERSEDED, and its requests carried with the push to the next run, which scans the push',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const matching = gate();
      const scan = new ScenarioScan(context, { heartbeatTimeoutMs: 2_000 });
      const osvQuery: ScanActivities['osvQuery'] = async (input) => {
        if (input.snapshotId !== 'snapshot-stored') return happyPath.osvQuery(input);
        // The re-match's match is slow; it heartbeats, so it hears of its cancellation.
        matching.open();
        const activity = Context.current();
        const beat = setInterval(() => activity.heartbeat(), 200);
        try {
          await Promise.race([activity.cancelled.catch(() => undefined), pause(20_000)]);
        } finally {
          clearInterval(beat);
        }
        return happyPath.osvQuery(input);
      };
      const result = await scan.withSteps(
        { osvQuery },
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          await matching.opened;
          await scan.request(push('f00d0001', { sequence: 1 }));
          return scan.result();
        },
        { activitiesOnlyQueue: rematchQueue },
      );
      const [first, followUp] = await scan.firstTwoRuns();
      expectBranch('rematch-yields-to-push', first, {
        has: [PATCH, 'ActivityTaskScheduled:beginRematch', 'ActivityTaskCancelRequested', CONTINUED],
        lacks: ['ActivityTaskScheduled:persist', 'ActivityTaskScheduled:fetchManifest'],
        count: { 'ActivityTaskScheduled:closeScan': 1, [SIGNAL]: 2 },
      });
      expectPatches('rematch-yields-to-push', first, ['rematch-yields-to-push']);
      expectBranch('rematch-yields-to-push-follow-up', followUp, {
        has: [...SCAN_STEPS, COMPLETED],
        lacks: ['ActivityTaskScheduled:beginRematch'],
        count: { [SIGNAL]: 0 },
      });
      expectResult('rematch-yields-to-push', result, { phase: 'COMPLETED', requestsCoalesced: 2 });
      return { 'rematch-yields-to-push': first, 'rematch-yields-to-push-follow-up': followUp };
    },
  },
  // Issue 16's last point: a re-match as one activity (`rematch-one-activity`).
  {
    workflow: 'repo-scan',
    branches: ['rematch-one-activity'],
    covers:
      'an advisory re-match under rematch-one-activity: one rematchSnapshot activity on the re-match queue instead of four steps',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const { result, history } = await rematchOnce(context, {});
      expectBranch('rematch-one-activity', history, {
        has: [PATCH, 'ActivityTaskScheduled:rematchSnapshot', COMPLETED],
        lacks: [
          'ActivityTaskScheduled:beginRematch',
          'ActivityTaskScheduled:osvQuery',
          'ActivityTaskScheduled:persist',
          'ActivityTaskScheduled:evaluatePolicy',
          'ActivityTaskScheduled:fetchManifest',
        ],
        count: { 'ActivityTaskScheduled:rematchSnapshot': 1 },
      });
      expectPatches('rematch-one-activity', history, ['rematch-yields-to-push', 'rematch-one-activity']);
      const elsewhere = activityQueues(history).filter((a) => a.taskQueue !== rematchQueue);
      if (elsewhere.length > 0)
        throw new Error(`rematch-one-activity: steps off the re-match queue: ${JSON.stringify(elsewhere)}`);
      expectResult('rematch-one-activity', result, {
        phase: 'COMPLETED',
        policyStatus: 'WARN',
        commitSha: 'commit-of-stored-snapshot',
      });
      return { 'rematch-one-activity': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-without-quiet-window'],
    covers:
      'a re-match alone under rematch-without-quiet-window: its step scheduled at once, no quiet-window timer, though the window is ten minutes',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const scan = new ScenarioScan(context, { quietWindowMs: 600_000, maxWaitMs: 1_200_000 });
      const result = await scan.withSteps(
        {},
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          return scan.result();
        },
        { activitiesOnlyQueue: rematchQueue },
      );
      const history = await scan.history();
      expectBranch('rematch-without-quiet-window', history, {
        has: [PATCH, 'ActivityTaskScheduled:rematchSnapshot', COMPLETED],
        lacks: ['TimerStarted', CONTINUED],
      });
      expectPatches('rematch-without-quiet-window', history, [
        'rematch-without-quiet-window',
        'rematch-one-activity',
      ]);
      expectResult('rematch-without-quiet-window', result, {
        phase: 'COMPLETED',
        commitSha: 'commit-of-stored-snapshot',
      });
      return { 'rematch-without-quiet-window': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-one-activity-superseded'],
    covers: 'a re-match as one activity that finds a newer scan persisted first: SUPERSEDED, no verdict',
    async record(context) {
      const { result, history } = await rematchOnce(context, {
        persist: async () => ({ open: 0, opened: 0, fixed: 0, supersededBy: 'newer-scan' }),
      });
      expectBranch('rematch-one-activity-superseded', history, {
        has: [PATCH, 'ActivityTaskScheduled:rematchSnapshot', COMPLETED],
        lacks: ['ActivityTaskScheduled:closeScan', CONTINUED],
      });
      expectPatches('rematch-one-activity-superseded', history, ['rematch-one-activity']);
      expectResult('rematch-one-activity-superseded', result, { phase: 'SUPERSEDED', policyStatus: null });
      return { 'rematch-one-activity-superseded': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-one-activity-yields-to-push', 'rematch-one-activity-yields-to-push-follow-up'],
    covers:
      'a push during a re-match as one activity: the activity is cancelled, its scan closed SUPERSEDED, its requests carried with the push to the next run',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const matching = gate();
      const scan = new ScenarioScan(context, { heartbeatTimeoutMs: 2_000 });
      let persistedAfterCancel = false;
      const osvQuery: ScanActivities['osvQuery'] = async (input) => {
        if (input.snapshotId !== 'snapshot-stored') return happyPath.osvQuery(input);
        matching.open();
        const activity = Context.current();
        await Promise.race([activity.cancelled.catch(() => undefined), pause(20_000)]);
        return happyPath.osvQuery(input);
      };
      const persist: ScanActivities['persist'] = async (input) => {
        if (input.snapshotId === 'snapshot-stored') persistedAfterCancel = true;
        return happyPath.persist(input);
      };
      const result = await scan.withSteps(
        { osvQuery, persist },
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          await matching.opened;
          await scan.request(push('f00d0002', { sequence: 1 }));
          return scan.result();
        },
        { activitiesOnlyQueue: rematchQueue },
      );
      if (persistedAfterCancel)
        throw new Error('rematch-one-activity-yields-to-push: the cancelled re-match went on to persist');
      const [first, followUp] = await scan.firstTwoRuns();
      expectBranch('rematch-one-activity-yields-to-push', first, {
        has: [PATCH, 'ActivityTaskScheduled:rematchSnapshot', 'ActivityTaskCancelRequested', CONTINUED],
        lacks: ['ActivityTaskScheduled:beginRematch', 'ActivityTaskScheduled:fetchManifest'],
        count: { 'ActivityTaskScheduled:closeScan': 1, [SIGNAL]: 2 },
      });
      expectPatches('rematch-one-activity-yields-to-push', first, ['rematch-one-activity']);
      expectBranch('rematch-one-activity-yields-to-push-follow-up', followUp, {
        has: [...SCAN_STEPS, COMPLETED],
        lacks: ['ActivityTaskScheduled:rematchSnapshot'],
        count: { [SIGNAL]: 0 },
      });
      expectResult('rematch-one-activity-yields-to-push', result, {
        phase: 'COMPLETED',
        requestsCoalesced: 2,
      });
      return {
        'rematch-one-activity-yields-to-push': first,
        'rematch-one-activity-yields-to-push-follow-up': followUp,
      };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-deferred', 'rematch-deferred-follow-up'],
    covers:
      'a re-match no worker of its queue takes within rematchQueueTimeoutMs: closed FAILED (REMATCH_DEFERRED) and asked again in the next run, which re-matches to COMPLETED',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      // The deferral's backoff (twice the quiet window) gives the re-match worker, started once the
      // first run has let go, time to poll before the follow-up run schedules its step.
      const scan = new ScenarioScan(context, {
        quietWindowMs: 3_000,
        maxWaitMs: 10_000,
        rematchQueueTimeoutMs: 1_000,
      });
      const result = await scan.withSteps({}, async () => {
        await scan.request(rematchOf('snapshot-stored', rematchQueue));
        // No worker polls the re-match queue yet: a saturated queue, as during a large sync.
        await until(async () => (await scan.lastRunId()) !== scan.firstRunId, 30_000);
        return context.withActivityWorker(rematchQueue, withRematchSnapshot(happyPath), () => scan.result());
      });
      const [first, followUp] = await scan.firstTwoRuns();
      // Its file was recorded before rematch-one-activity (four steps); a run now has one step.
      const rematchStep = 'ActivityTaskScheduled:rematchSnapshot';
      expectBranch('rematch-deferred', first, {
        has: [PATCH, rematchStep, 'ActivityTaskTimedOut', CONTINUED],
        lacks: ['ActivityTaskScheduled:osvQuery'],
        count: { 'ActivityTaskScheduled:closeScan': 1 },
      });
      expectPatches('rematch-deferred', first, ['rematch-yields-to-push']);
      expectBranch('rematch-deferred-follow-up', followUp, {
        has: [PATCH, rematchStep, COMPLETED],
        lacks: ['ActivityTaskTimedOut', 'ActivityTaskScheduled:closeScan', CONTINUED],
      });
      expectResult('rematch-deferred', result, {
        phase: 'COMPLETED',
        commitSha: 'commit-of-stored-snapshot',
      });
      return { 'rematch-deferred': first, 'rematch-deferred-follow-up': followUp };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-superseded-at-persist'],
    covers: 'a re-match whose persist finds a newer scan persisted first: SUPERSEDED, no verdict',
    async record(context) {
      const { result, history } = await rematchOnce(context, {
        persist: async () => ({ open: 0, opened: 0, fixed: 0, supersededBy: 'newer-scan' }),
      });
      expectBranch('rematch-superseded-at-persist', history, {
        has: [PATCH, 'ActivityTaskScheduled:persist', COMPLETED],
        lacks: ['ActivityTaskScheduled:evaluatePolicy', 'ActivityTaskScheduled:closeScan', CONTINUED],
      });
      expectPatches('rematch-superseded-at-persist', history, ['rematch-yields-to-push']);
      expectResult('rematch-superseded-at-persist', result, { phase: 'SUPERSEDED', policyStatus: null });
      return { 'rematch-superseded-at-persist': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-superseded-at-evaluate'],
    covers: 'a re-match whose verdict finds a newer scan completed first: SUPERSEDED, no verdict',
    async record(context) {
      const { result, history } = await rematchOnce(context, {
        evaluatePolicy: async () => ({ status: null, supersededBy: 'newer-scan' }),
      });
      expectBranch('rematch-superseded-at-evaluate', history, {
        has: [PATCH, 'ActivityTaskScheduled:evaluatePolicy', COMPLETED],
        lacks: ['ActivityTaskScheduled:closeScan', CONTINUED],
      });
      expectPatches('rematch-superseded-at-evaluate', history, ['rematch-yields-to-push']);
      expectResult('rematch-superseded-at-evaluate', result, { phase: 'SUPERSEDED', policyStatus: null });
      return { 'rematch-superseded-at-evaluate': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-served-by-scan'],
    covers:
      'a re-match asked for while a push is fetched: the push matches fresh advisories and serves it; no re-match, no follow-up run',
    async record(context) {
      const held = holdFetch(1);
      const scan = new ScenarioScan(context);
      const result = await scan.withSteps({ fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('beef0001', { sequence: 1 }));
        await held.begun;
        await scan.request(rematchOf('snapshot-stored', `${context.taskQueue}-rematch`));
        held.release();
        return scan.result();
      });
      const history = await scan.history();
      expectBranch('rematch-served-by-scan', history, {
        has: [PATCH, ...SCAN_STEPS, COMPLETED],
        lacks: ['ActivityTaskScheduled:beginRematch', CONTINUED],
        count: { [SIGNAL]: 2 },
      });
      expectPatches('rematch-served-by-scan', history, ['rematch-served-by-scan']);
      expectResult('rematch-served-by-scan', result, { phase: 'COMPLETED', commitSha: 'beef0001' });
      return { 'rematch-served-by-scan': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['bounded-run', 'bounded-run-follow-up'],
    covers:
      'a run at its signal limit while debouncing: continue-as-new with the newest request per ref (the others folded), the first request time and the promised scan id; the follow-up run scans them',
    async record(context) {
      const scan = new ScenarioScan(context, {
        quietWindowMs: 2_000,
        maxWaitMs: 60_000,
        continueAsNewAfterSignals: 3,
      });
      const sequenced = (n: number) =>
        push(`bbbb100${n}`, { sequence: n, requestId: `request-${n}`, deliveryId: `delivery-${n}` });
      const seen = await scan.withSteps({}, async () => {
        for (const n of [1, 2, 3]) await scan.request(sequenced(n));
        await until(async () => (await scan.lastRunId()) !== scan.firstRunId, 30_000);
        // One more for the follow-up run: it debounces its own signal with the carried requests.
        await scan.request(sequenced(4));
        const ended = await scan.result();
        // Asked of the first run (a query needs a worker): the scan id its requester was told.
        const { scanId } = await context.client.workflow
          .getHandle(scan.workflowId, scan.firstRunId)
          .query(scanStatusQuery);
        return { ended, scanId };
      });
      const [first, followUp] = await scan.firstTwoRuns();
      expectBranch('bounded-run', first, {
        has: [PATCH, CONTINUED],
        lacks: ['ActivityTaskScheduled:fetchManifest'],
        count: { [SIGNAL]: 3 },
      });
      expectPatches('bounded-run', first, ['bounded-run']);
      expectBranch('bounded-run-follow-up', followUp, {
        has: [...SCAN_STEPS, COMPLETED],
        count: { [SIGNAL]: 1 },
      });
      // The promised scan id, the first request time and the folded requests travel on.
      const { ended: result, scanId } = seen;
      const handed = startInput(followUp);
      if (
        handed.scanId !== scanId ||
        handed.firstRequestAt === undefined ||
        handed.foldedRequests !== 2 ||
        handed.carriedRequests?.map((r) => r.requestId).join() !== 'request-3'
      ) {
        throw new Error(
          `bounded-run: the follow-up run was handed ${JSON.stringify(handed)} (scan ${scanId})`,
        );
      }
      expectResult('bounded-run', result, {
        phase: 'COMPLETED',
        scanId,
        commitSha: 'bbbb1004',
        requestsCoalesced: 4,
      });
      return { 'bounded-run': first, 'bounded-run-follow-up': followUp };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['failure-recorded'],
    covers: 'a step failing for good, its failure recorded out of the scan scope: result FAILED',
    async record(context) {
      const { result, history } = await scanOnce(context, push('eeee1001'), {
        fetchManifest: async () => {
          throw ApplicationFailure.nonRetryable('no manifest could be read', 'MANIFEST_UNREADABLE');
        },
      });
      expectBranch('failure-recorded', history, {
        has: [PATCH, 'ActivityTaskFailed', 'ActivityTaskScheduled:recordScanFailure', COMPLETED],
        lacks: ['ActivityTaskScheduled:parse'],
      });
      expectPatches('failure-recorded', history, ['failure-record-survives']);
      expectResult('failure-recorded', result, { phase: 'FAILED', errorCode: 'MANIFEST_UNREADABLE' });
      return { 'failure-recorded': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['cancelled-mid-step'],
    covers:
      'the workflow cancelled while a step runs: the step is cancelled, the failure (SCAN_CANCELLED) recorded in a non-cancellable scope, and the run ends cancelled',
    async record(context) {
      const held = holdFetch(1);
      const scan = new ScenarioScan(context);
      let recorded: string | undefined;
      const outcome = await scan.withSteps(
        {
          fetchManifest: held.fetchManifest,
          recordScanFailure: async (input: { code: string }) => {
            recorded = input.code;
          },
        },
        async () => {
          await scan.request(push('cace0001'));
          await held.begun;
          await context.client.workflow.getHandle(scan.workflowId).cancel();
          const ended = await scan.result().then(
            () => 'completed',
            (error: unknown) => (error as { cause?: { name?: string } }).cause?.name ?? String(error),
          );
          held.release();
          return ended;
        },
      );
      const history = await scan.history();
      expectBranch('cancelled-mid-step', history, {
        has: [
          PATCH,
          'WorkflowExecutionCancelRequested',
          'ActivityTaskCancelRequested',
          'ActivityTaskScheduled:recordScanFailure',
          'WorkflowExecutionCanceled',
        ],
        lacks: ['ActivityTaskScheduled:parse', CONTINUED],
      });
      expectPatches('cancelled-mid-step', history, ['failure-record-survives']);
      if (closingEvent(history) !== 'WorkflowExecutionCanceled' || outcome !== 'CancelledFailure')
        throw new Error(`cancelled-mid-step: the run ended ${closingEvent(history)} (${outcome})`);
      if (recorded !== 'SCAN_CANCELLED') throw new Error(`cancelled-mid-step: recorded ${recorded}`);
      return { 'cancelled-mid-step': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['failure-record-fails'],
    covers:
      'a step fails and recording that failure fails too: the run logs it, ends FAILED and still continues as new with the request that came meanwhile',
    async record(context) {
      const held = holdFetch(1);
      let parses = 0;
      const scan = new ScenarioScan(context);
      const result = await scan.withSteps(
        {
          fetchManifest: held.fetchManifest,
          parse: async (input: Parameters<ScanActivities['parse']>[0]) => {
            if (++parses === 1) throw ApplicationFailure.nonRetryable('broken lock file', 'PARSE_FAILED');
            return happyPath.parse(input);
          },
          recordScanFailure: async () => {
            throw ApplicationFailure.nonRetryable('database refused the row', 'DB_DOWN');
          },
        },
        async () => {
          await scan.request(push('dbdb0001', { sequence: 1 }));
          await held.begun;
          await scan.request(push('dbdb0002', { sequence: 2 }));
          held.release();
          return scan.result();
        },
      );
      const history = await scan.history();
      expectBranch('failure-record-fails', history, {
        has: [PATCH, 'ActivityTaskScheduled:recordScanFailure', CONTINUED],
        count: { ActivityTaskFailed: 2, [SIGNAL]: 2 },
      });
      expectPatches('failure-record-fails', history, ['failure-record-survives']);
      expectResult('failure-record-fails', result, { phase: 'COMPLETED', commitSha: 'dbdb0002' });
      return { 'failure-record-fails': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-org-busy-yields'],
    covers:
      'a re-match turned away (ORG_BUSY) and waiting on its timer when a push comes: the timer is cancelled, the re-match closed SUPERSEDED and handed on with the push',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const thirdTurn = gate();
      let turns = 0;
      const beginRematch: ScanActivities['beginRematch'] = async () => {
        if (++turns === 3) thirdTurn.open();
        throw ApplicationFailure.create({ type: ORG_BUSY_FAILURE, message: 'org busy', nonRetryable: true });
      };
      const scan = new ScenarioScan(context);
      const result = await scan.withSteps(
        { beginRematch },
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          await thirdTurn.opened;
          // The third turn's wait is 1-2 s: the push comes while the workflow waits on that timer.
          await pause(300);
          await scan.request(push('0b0b0001', { sequence: 1 }));
          return scan.result();
        },
        { activitiesOnlyQueue: rematchQueue },
      );
      const history = await scan.history();
      expectBranch('rematch-org-busy-yields', history, {
        has: [PATCH, 'TimerCanceled', CONTINUED],
        lacks: ['ActivityTaskCancelRequested', 'ActivityTaskScheduled:osvQuery'],
        count: { 'ActivityTaskScheduled:beginRematch': 3, 'ActivityTaskScheduled:closeScan': 1 },
      });
      expectPatches('rematch-org-busy-yields', history, ['rematch-yields-to-push']);
      expectResult('rematch-org-busy-yields', result, { phase: 'COMPLETED', commitSha: '0b0b0001' });
      return { 'rematch-org-busy-yields': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-cancelled'],
    covers:
      'the workflow cancelled during a re-match (the repository disconnected): the re-match step cancelled, its failure recorded non-cancellably, the run ends cancelled',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const matching = gate();
      const codes: string[] = [];
      const scan = new ScenarioScan(context, { heartbeatTimeoutMs: 2_000 });
      const osvQuery: ScanActivities['osvQuery'] = async (input) => {
        matching.open();
        const activity = Context.current();
        const beat = setInterval(() => activity.heartbeat(), 200);
        try {
          await Promise.race([activity.cancelled.catch(() => undefined), pause(20_000)]);
        } finally {
          clearInterval(beat);
        }
        return happyPath.osvQuery(input);
      };
      const outcome = await scan.withSteps(
        {
          osvQuery,
          recordScanFailure: async (input: { code: string }) => {
            codes.push(input.code);
          },
        },
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          await matching.opened;
          await context.client.workflow.getHandle(scan.workflowId).cancel();
          return scan.result().then(
            () => 'completed',
            (error: unknown) => (error as { cause?: { name?: string } }).cause?.name ?? String(error),
          );
        },
        { activitiesOnlyQueue: rematchQueue },
      );
      const history = await scan.history();
      expectBranch('rematch-cancelled', history, {
        has: [
          PATCH,
          'WorkflowExecutionCancelRequested',
          'ActivityTaskCancelRequested',
          'ActivityTaskScheduled:recordScanFailure',
          'WorkflowExecutionCanceled',
        ],
        lacks: ['ActivityTaskScheduled:persist', 'ActivityTaskScheduled:closeScan', CONTINUED],
      });
      expectPatches('rematch-cancelled', history, ['rematch-yields-to-push', 'failure-record-survives']);
      if (outcome !== 'CancelledFailure' || codes.join() !== 'SCAN_CANCELLED')
        throw new Error(`rematch-cancelled: ended ${outcome}, recorded ${codes.join() || 'nothing'}`);
      return { 'rematch-cancelled': history };
    },
  },
  // The branches behind `scan-hands-on-flood` and `rematch-deferral-backoff`.
  {
    workflow: 'repo-scan',
    branches: ['scan-hands-on-flood', 'scan-hands-on-flood-follow-up'],
    covers:
      "a flood of pushes during a scan reaches the run's signal bound (3 x continueAsNewAfterSignals): the scan's step is cancelled, its scan closed SUPERSEDED, and it is handed with the flood to the next run, which scans the newest push",
    async record(context) {
      const held = holdFetch(1);
      // A bound of 3 signals while debouncing, 9 during a scan: the production arithmetic, scaled down.
      const scan = new ScenarioScan(context, { continueAsNewAfterSignals: 3 });
      const sequenced = (n: number) =>
        push(`f100${String(n).padStart(4, '0')}`, {
          sequence: n,
          requestId: `request-${n}`,
          deliveryId: `delivery-${n}`,
        });
      const result = await scan.withSteps({ fetchManifest: held.fetchManifest }, async () => {
        await scan.request(sequenced(1));
        await held.begun;
        // Paced, as a worker keeps up with a flood: the run sees its bound before the server's.
        for (let n = 2; n <= 12; n++) {
          await scan.request(sequenced(n));
          await pause(30);
        }
        await until(async () => (await scan.lastRunId()) !== scan.firstRunId, 30_000);
        held.release();
        return scan.result();
      });
      const [first, followUp] = await scan.firstTwoRuns();
      expectBranch('scan-hands-on-flood', first, {
        has: [PATCH, 'ActivityTaskCancelRequested', 'ActivityTaskScheduled:closeScan', CONTINUED],
        lacks: ['ActivityTaskScheduled:parse'],
      });
      expectPatches('scan-hands-on-flood', first, ['scan-hands-on-flood']);
      expectBranch('scan-hands-on-flood-follow-up', followUp, { has: [...SCAN_STEPS, COMPLETED] });
      expectResult('scan-hands-on-flood', result, { phase: 'COMPLETED', commitSha: 'f1000012' });
      return { 'scan-hands-on-flood': first, 'scan-hands-on-flood-follow-up': followUp };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-deferral-backoff', 'rematch-abandoned'],
    covers:
      'a re-match no worker takes, twice, with maxRematchDeferrals 2: the first deferral (REMATCH_DEFERRED) continues as new with rematchDeferrals 1; that run waits out its backoff, defers again and gives up (REMATCH_ABANDONED), ending FAILED',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const codes: string[] = [];
      const scan = new ScenarioScan(context, { rematchQueueTimeoutMs: 500, maxRematchDeferrals: 2 });
      // No worker ever polls the re-match queue: the re-match workers are down.
      const result = await scan.withSteps(
        {
          closeScan: async (input: { code?: string }) => {
            codes.push(input.code ?? '');
          },
        },
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          return scan.result();
        },
      );
      const [first, followUp] = await scan.firstTwoRuns();
      expectBranch('rematch-deferral-backoff', first, {
        has: [PATCH, 'ActivityTaskTimedOut', 'ActivityTaskScheduled:closeScan', CONTINUED],
        lacks: ['ActivityTaskScheduled:osvQuery'],
      });
      expectPatches('rematch-deferral-backoff', first, [
        'rematch-yields-to-push',
        'rematch-deferral-backoff',
      ]);
      expectBranch('rematch-abandoned', followUp, {
        has: ['TimerFired', PATCH, 'ActivityTaskTimedOut', 'ActivityTaskScheduled:closeScan', COMPLETED],
        lacks: [CONTINUED],
        count: { [SIGNAL]: 0 },
      });
      expectPatches('rematch-abandoned', followUp, ['rematch-deferral-backoff']);
      if (startInput(followUp).rematchDeferrals !== 1)
        throw new Error(`rematch-abandoned: handed ${JSON.stringify(startInput(followUp))}`);
      if (codes.join() !== 'REMATCH_DEFERRED,REMATCH_ABANDONED')
        throw new Error(`rematch-abandoned: closed ${codes.join()}`);
      expectResult('rematch-abandoned', result, { phase: 'FAILED', errorCode: 'REMATCH_ABANDONED' });
      return { 'rematch-deferral-backoff': first, 'rematch-abandoned': followUp };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-backoff-interrupted'],
    covers:
      'a push while a deferred re-match waits out its backoff: the backoff timer is cancelled, and the push is scanned with the re-match, serving it',
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      // A 1 s quiet window: the backoff after one deferral is 2 s, which the push cuts short.
      const scan = new ScenarioScan(context, {
        quietWindowMs: 1_000,
        maxWaitMs: 10_000,
        rematchQueueTimeoutMs: 500,
      });
      const result = await scan.withSteps({}, async () => {
        await scan.request(rematchOf('snapshot-stored', rematchQueue));
        await until(async () => (await scan.lastRunId()) !== scan.firstRunId, 30_000);
        await scan.request(push('ba0f0001', { sequence: 1 }));
        return scan.result();
      });
      const [, history] = await scan.firstTwoRuns();
      expectBranch('rematch-backoff-interrupted', history, {
        has: ['TimerCanceled', ...SCAN_STEPS, COMPLETED],
        lacks: ['ActivityTaskScheduled:beginRematch', 'ActivityTaskScheduled:closeScan', CONTINUED],
        count: { [SIGNAL]: 1 },
      });
      if (startInput(history).rematchDeferrals !== 1)
        throw new Error(`rematch-backoff-interrupted: handed ${JSON.stringify(startInput(history))}`);
      expectResult('rematch-backoff-interrupted', result, {
        phase: 'COMPLETED',
        commitSha: 'ba0f0001',
        requestsCoalesced: 2,
      });
      return { 'rematch-backoff-interrupted': history };
    },
  },
  {
    workflow: 'repo-scan',
    branches: ['rematch-deferral-fresh-sync'],
    covers:
      "a re-match a new advisory sync asks for during a deferred re-match's backoff, with maxRematchDeferrals 2: the count restarts, so that run defers it as a first deferral (continues as new with rematchDeferrals 1) instead of abandoning it",
    async record(context) {
      const rematchQueue = `${context.taskQueue}-rematch`;
      const codes: string[] = [];
      // A 1 s quiet window: the backoff after one deferral is 2 s, long enough to ask during it.
      const scan = new ScenarioScan(context, {
        quietWindowMs: 1_000,
        rematchQueueTimeoutMs: 500,
        maxRematchDeferrals: 2,
      });
      const result = await scan.withSteps(
        {
          closeScan: async (input: { code?: string }) => {
            codes.push(input.code ?? '');
          },
        },
        async () => {
          await scan.request(rematchOf('snapshot-stored', rematchQueue));
          await until(async () => (await scan.lastRunId()) !== scan.firstRunId, 30_000);
          await scan.request(rematchOf('snapshot-newer', rematchQueue));
          return scan.result();
        },
      );
      const [, second] = await scan.firstTwoRuns();
      expectBranch('rematch-deferral-fresh-sync', second, {
        has: ['TimerFired', PATCH, 'ActivityTaskTimedOut', 'ActivityTaskScheduled:closeScan', CONTINUED],
        count: { [SIGNAL]: 1 },
      });
      expectPatches('rematch-deferral-fresh-sync', second, ['rematch-deferral-fresh-sync']);
      if (codes.join() !== 'REMATCH_DEFERRED,REMATCH_DEFERRED,REMATCH_ABANDONED')
        throw new Error(`rematch-deferral-fresh-sync: closed ${codes.join()}`);
      expectResult('rematch-deferral-fresh-sync', result, {
        phase: 'FAILED',
        errorCode: 'REMATCH_ABANDONED',
      });
      return { 'rematch-deferral-fresh-sync': second };
    },
  },
  // Issue 16, push latency during a sync: the branch behind `quiet-window-from-last-request`.
  {
    workflow: 'repo-scan',
    branches: ['quiet-window-from-last-request', 'quiet-window-from-last-request-follow-up'],
    covers:
      'a push during a scan that lasts longer than the quiet window: the run hands it over with lastRequestAt, and the follow-up run (patch quiet-window-from-last-request) scans it without waiting a window again',
    async record(context) {
      const held = holdFetch(1);
      const scan = new ScenarioScan(context, { quietWindowMs: 1_000 });
      await scan.withSteps({ fetchManifest: held.fetchManifest }, async () => {
        await scan.request(push('eeee0001', { sequence: 1 }));
        await held.begun;
        await scan.request(push('eeee0002', { sequence: 2 }));
        await pause(2_000);
        held.release();
        return scan.result();
      });
      const [first, followUp] = await scan.firstTwoRuns();
      expectBranch('quiet-window-from-last-request', first, {
        has: [PATCH, 'TimerStarted', ...SCAN_STEPS, CONTINUED],
        count: { [SIGNAL]: 2 },
      });
      expectPatches('quiet-window-from-last-request', first, ['quiet-window-from-last-request']);
      if (startInput(followUp).lastRequestAt === undefined)
        throw new Error('quiet-window-from-last-request: the follow-up run was handed no lastRequestAt');
      expectBranch('quiet-window-from-last-request-follow-up', followUp, {
        has: [PATCH, ...SCAN_STEPS, COMPLETED],
        lacks: ['TimerStarted'],
        count: { [SIGNAL]: 0 },
      });
      expectPatches('quiet-window-from-last-request-follow-up', followUp, ['quiet-window-from-last-request']);
      return {
        'quiet-window-from-last-request': first,
        'quiet-window-from-last-request-follow-up': followUp,
      };
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

/** A re-match request as the advisory sync sends it. */
function rematchOf(snapshotId: string, taskQueue: string): ScanRequest {
  return rematchRequest(snapshotId, taskQueue, {
    correlationId: 'advisory-sync@recorded',
    requestId: `rematch-${snapshotId}`,
  });
}

/** Re-matches one stored snapshot to its end (a worker on the re-match queue) in a single run. */
async function rematchOnce(context: RecordingContext, stubs: Partial<ScanActivities>) {
  const rematchQueue = `${context.taskQueue}-rematch`;
  const scan = new ScenarioScan(context);
  const result = await scan.withSteps(
    { ...stubs },
    async () => {
      await scan.request(rematchOf('snapshot-stored', rematchQueue));
      return scan.result();
    },
    { activitiesOnlyQueue: rematchQueue },
  );
  return { result, history: await scan.history() };
}

/** Fails the recording when the history lacks a `core_patch` marker for one of `ids`. */
function expectPatches(branch: string, history: Parameters<typeof patchIds>[0], ids: readonly string[]) {
  const recorded = patchIds(history);
  const missing = ids.filter((id) => !recorded.includes(id));
  if (missing.length > 0)
    throw new Error(
      `${branch}: no patch marker for ${missing.join(', ')} (recorded: ${recorded.join(', ') || 'none'})`,
    );
}

/** Fails the recording when the chain's result is not what the branch ends in. */
function expectResult(branch: string, result: RepoScanResult, expected: Partial<RepoScanResult>) {
  const wrong = Object.entries(expected).filter(
    ([key, value]) => result[key as keyof RepoScanResult] !== value,
  );
  if (wrong.length > 0) throw new Error(`${branch}: the scan ended ${JSON.stringify(result)}`);
}

/** The input a run was started with (a follow-up run: what the run before handed it). */
function startInput(history: Parameters<typeof patchIds>[0]): RepoScanInput {
  const data =
    history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data ?? null;
  if (!data) throw new Error('a history without a start input');
  return JSON.parse(Buffer.from(data).toString('utf8')) as RepoScanInput;
}

/** Polls `check` until it holds; fails the recording after `ms`. */
async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); await pause(100)) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms in vain`);
  }
}
