// The advisory sync workflow's branches, run for real with stub activities (no OSV, no database).
import { Context } from '@temporalio/activity';
import type { Activities } from '@repoguard/activities';
import type { RematchTarget } from '@repoguard/domain';
import type { SyncAdvisoriesInput, SyncAdvisoriesResult } from '@repoguard/contract';
import { SYNC_ADVISORIES_WORKFLOW } from '../../libs/contract/src/advisory-sync.contract';
import {
  closingEvent,
  expectBranch,
  patchIds,
  type HistoryScenario,
  type RecordingContext,
} from './history-recorder';

type SyncActivities = Pick<
  Activities,
  | 'importAdvisories'
  | 'findRematchTargets'
  | 'requestRematchScans'
  | 'collectRematchTargets'
  | 'requestRematchPage'
>;

const report = (source: string) => ({
  source,
  read: 3,
  inserted: 1,
  updated: 1,
  unchanged: 1,
  withdrawn: 0,
  skipped: 0,
  diagnostics: { total: 0, advisories: 0, byRule: {}, sample: [] },
});

function stubs(options: { readonly writtenAt: string | null; readonly targets: number }): SyncActivities {
  return {
    importAdvisories: async ({ source }) => ({ ...report(source), writtenAt: options.writtenAt }),
    findRematchTargets: async (): Promise<RematchTarget[]> =>
      Array.from({ length: options.targets }, (_, i) => ({
        orgId: 'org-recorded',
        repoId: `repo-${i}`,
        owner: 'acme',
        name: `service-${i}`,
        snapshotId: `snapshot-${i}`,
      })),
    requestRematchScans: async ({ targets }) => ({ requested: targets.length }),
    // The sync-run path (patch `sync-run-watermark`): targets stored under the run, paged by place.
    collectRematchTargets: async () => ({ targets: options.writtenAt === null ? 0 : options.targets }),
    requestRematchPage: async ({ fromSeq, limit }) => ({
      requested: Math.max(0, Math.min(options.targets, fromSeq + limit - 1) - fromSeq + 1),
    }),
  };
}

async function sync(
  context: RecordingContext,
  activities: SyncActivities,
  input: Partial<SyncAdvisoriesInput> = {},
) {
  const workflowId = `advisory-sync:${context.taskQueue}`;
  const args: SyncAdvisoriesInput = {
    sources: ['PyPI/all.zip', 'npm/all.zip'],
    rematchTaskQueue: `${context.taskQueue}-rematch`,
    scanTaskQueue: `${context.taskQueue}-scans`,
    ...input,
  };
  const handle = await context.withWorker(activities, async () => {
    const started = await context.client.workflow.start<
      (input: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>
    >(SYNC_ADVISORIES_WORKFLOW, { workflowId, taskQueue: context.taskQueue, args: [args] });
    await started.result();
    return started;
  });
  return context.history(workflowId, handle.firstExecutionRunId);
}

/** A sync on the sync-run path, its result, and the histories of its first two runs. */
async function syncRun(
  context: RecordingContext,
  activities: SyncActivities,
  input: Partial<SyncAdvisoriesInput> = {},
) {
  const first = await sync(context, activities, input);
  const handle = context.client.workflow.getHandle<
    (input: SyncAdvisoriesInput) => Promise<SyncAdvisoriesResult>
  >(`advisory-sync:${context.taskQueue}`);
  const continued =
    first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? null;
  return {
    first,
    // The chain has ended: its last run's result, and the run the first continued into.
    result: await handle.result(),
    second: continued ? await context.history(handle.workflowId, continued) : null,
  };
}

/** Fails the recording when the history does not take the sync-run path. */
function expectWatermark(branch: string, history: Parameters<typeof patchIds>[0]): void {
  if (!patchIds(history).includes('sync-run-watermark'))
    throw new Error(`${branch}: no sync-run-watermark patch marker`);
}

function expectResult(branch: string, result: SyncAdvisoriesResult, expected: Partial<SyncAdvisoriesResult>) {
  const wrong = Object.entries(expected).filter(
    ([key, value]) => result[key as keyof SyncAdvisoriesResult] !== value,
  );
  if (wrong.length > 0) throw new Error(`${branch}: the sync ended ${JSON.stringify(result)}`);
}

const IMPORT = 'ActivityTaskScheduled:importAdvisories';
const FIND = 'ActivityTaskScheduled:findRematchTargets';
const REQUEST = 'ActivityTaskScheduled:requestRematchScans';
const COLLECT = 'ActivityTaskScheduled:collectRematchTargets';
const PAGE = 'ActivityTaskScheduled:requestRematchPage';
const PATCH = 'MarkerRecorded:core_patch';
const WRITTEN = '2026-01-01T00:00:00.000Z';

export const syncAdvisoriesScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'sync-advisories',
    // Recorded before the `sync-run-watermark` patch: today's code takes the sync-run path instead
    // (watermark-pages), so this scenario no longer records its branch; its file stays for replay.
    branches: ['import-and-rematch'],
    covers: 'two sources imported with changes: re-match targets found and requested in batches of 100',
    async record(context) {
      const history = await sync(context, stubs({ writtenAt: '2026-01-01T00:00:00.000Z', targets: 150 }));
      expectBranch('import-and-rematch', history, {
        has: ['WorkflowExecutionCompleted'],
        count: { [IMPORT]: 2, [FIND]: 1, [REQUEST]: 2 },
      });
      return { 'import-and-rematch': history };
    },
  },
  {
    workflow: 'sync-advisories',
    branches: ['nothing-new'],
    covers: 'every source imported without a change: nothing to re-match',
    async record(context) {
      const history = await sync(context, stubs({ writtenAt: null, targets: 0 }));
      expectBranch('nothing-new', history, {
        has: ['WorkflowExecutionCompleted'],
        lacks: [FIND, REQUEST],
        count: { [IMPORT]: 2 },
      });
      return { 'nothing-new': history };
    },
  },
  {
    workflow: 'sync-advisories',
    branches: ['rematch-disabled'],
    covers: 'changes imported with re-matching turned off (rematch: false)',
    async record(context) {
      const history = await sync(context, stubs({ writtenAt: '2026-01-01T00:00:00.000Z', targets: 5 }), {
        rematch: false,
      });
      expectBranch('rematch-disabled', history, {
        has: ['WorkflowExecutionCompleted'],
        lacks: [FIND, REQUEST],
        count: { [IMPORT]: 2 },
      });
      return { 'rematch-disabled': history };
    },
  },
  // Issue 16 point 7: the sync run as the watermark (patch `sync-run-watermark`).
  {
    workflow: 'sync-advisories',
    branches: ['watermark-pages'],
    covers:
      'two sources imported into the sync run; its targets stored under it (a count in history) and requested a page at a time',
    async record(context) {
      const { first, result } = await syncRun(context, stubs({ writtenAt: WRITTEN, targets: 7 }), {
        rematchPageSize: 3,
      });
      expectBranch('watermark-pages', first, {
        has: [PATCH, 'WorkflowExecutionCompleted'],
        lacks: [FIND, REQUEST],
        count: { [IMPORT]: 2, [COLLECT]: 1, [PAGE]: 3 },
      });
      expectWatermark('watermark-pages', first);
      expectResult('watermark-pages', result, { phase: 'DONE', affectedRepos: 7, scansRequested: 7 });
      return { 'watermark-pages': first };
    },
  },
  {
    workflow: 'sync-advisories',
    branches: ['watermark-page-retried'],
    covers:
      'a page whose first attempt fails part-way: the retry resumes from the place its heartbeat reported, each target requested once',
    async record(context) {
      const asked: number[] = [];
      let resumedFrom: number | null = null;
      const activities: SyncActivities = {
        ...stubs({ writtenAt: WRITTEN, targets: 6 }),
        requestRematchPage: async ({ fromSeq, limit }) => {
          const activity = Context.current();
          const resumed = activity.info.heartbeatDetails as
            { nextSeq: number; requested: number } | undefined;
          if (resumed) resumedFrom = resumed.nextSeq;
          const progress = {
            nextSeq: Math.max(fromSeq, resumed?.nextSeq ?? 0),
            requested: resumed?.requested ?? 0,
          };
          for (; progress.nextSeq < Math.min(7, fromSeq + limit); progress.nextSeq++) {
            // The second page's first attempt dies after its first request (a lost connection).
            if (fromSeq === 4 && activity.info.attempt === 1 && progress.nextSeq === 5)
              throw new Error('connection lost mid-page');
            asked.push(progress.nextSeq);
            progress.requested++;
            activity.heartbeat({ nextSeq: progress.nextSeq + 1, requested: progress.requested });
          }
          return { requested: progress.requested };
        },
      };
      const { first, result } = await syncRun(context, activities, { rematchPageSize: 3 });
      expectBranch('watermark-page-retried', first, {
        has: [PATCH, 'WorkflowExecutionCompleted'],
        count: { [COLLECT]: 1, [PAGE]: 2 },
      });
      expectWatermark('watermark-page-retried', first);
      const retried = (first.events ?? []).filter(
        (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1,
      );
      if (retried.length !== 1 || resumedFrom !== 5 || asked.join() !== '1,2,3,4,5,6')
        throw new Error(
          `watermark-page-retried: ${retried.length} retried step(s), resumed from ${resumedFrom}, asked ${asked.join()}`,
        );
      expectResult('watermark-page-retried', result, { phase: 'DONE', affectedRepos: 6, scansRequested: 6 });
      return { 'watermark-page-retried': first };
    },
  },
  {
    workflow: 'sync-advisories',
    branches: ['watermark-continue-as-new', 'watermark-continue-as-new-follow-up'],
    covers:
      'a sync with many pages: the run continues as new (at its page budget, or sooner when Temporal suggests it) with counts and the place reached; the follow-up run imports nothing and pages on',
    async record(context) {
      // 250 pages of one: more than one run's budget of 100 pages.
      const { first, second, result } = await syncRun(context, stubs({ writtenAt: WRITTEN, targets: 250 }), {
        rematchPageSize: 1,
      });
      expectBranch('watermark-continue-as-new', first, {
        has: [PATCH, PAGE, 'WorkflowExecutionContinuedAsNew'],
        count: { [IMPORT]: 2, [COLLECT]: 1 },
      });
      expectWatermark('watermark-continue-as-new', first);
      if (!second) throw new Error('watermark-continue-as-new: the first run did not continue as new');
      expectBranch('watermark-continue-as-new-follow-up', second, {
        has: [PATCH, PAGE],
        lacks: [IMPORT, COLLECT],
      });
      expectWatermark('watermark-continue-as-new-follow-up', second);
      if (!['WorkflowExecutionCompleted', 'WorkflowExecutionContinuedAsNew'].includes(closingEvent(second)))
        throw new Error(`watermark-continue-as-new-follow-up: ended ${closingEvent(second)}`);
      expectResult('watermark-continue-as-new', result, {
        phase: 'DONE',
        affectedRepos: 250,
        scansRequested: 250,
      });
      return { 'watermark-continue-as-new': first, 'watermark-continue-as-new-follow-up': second };
    },
  },
  {
    workflow: 'sync-advisories',
    branches: ['watermark-nothing-new'],
    covers: 'the sync-run path when no stored snapshot is affected: targets collected (none), no page',
    async record(context) {
      const { first, result } = await syncRun(context, stubs({ writtenAt: null, targets: 0 }));
      expectBranch('watermark-nothing-new', first, {
        has: [PATCH, 'WorkflowExecutionCompleted'],
        lacks: [PAGE, FIND, REQUEST],
        count: { [IMPORT]: 2, [COLLECT]: 1 },
      });
      expectWatermark('watermark-nothing-new', first);
      expectResult('watermark-nothing-new', result, { phase: 'DONE', affectedRepos: 0, scansRequested: 0 });
      return { 'watermark-nothing-new': first };
    },
  },
  {
    workflow: 'sync-advisories',
    branches: ['watermark-rematch-disabled'],
    covers: 'the sync-run path with re-matching turned off (rematch: false): imports only',
    async record(context) {
      const { first, result } = await syncRun(context, stubs({ writtenAt: WRITTEN, targets: 5 }), {
        rematch: false,
      });
      expectBranch('watermark-rematch-disabled', first, {
        has: [PATCH, 'WorkflowExecutionCompleted'],
        lacks: [COLLECT, PAGE, FIND, REQUEST],
        count: { [IMPORT]: 2 },
      });
      expectWatermark('watermark-rematch-disabled', first);
      expectResult('watermark-rematch-disabled', result, { phase: 'DONE', scansRequested: 0 });
      return { 'watermark-rematch-disabled': first };
    },
  },
];
