// The advisory sync workflow's branches, run for real with stub activities (no OSV, no database).
import type { Activities } from '@repoguard/activities';
import type { RematchTarget } from '@repoguard/domain';
import type { SyncAdvisoriesInput, SyncAdvisoriesResult } from '@repoguard/contract';
import { SYNC_ADVISORIES_WORKFLOW } from '../../libs/contract/src/advisory-sync.contract';
import { expectBranch, type HistoryScenario, type RecordingContext } from './history-recorder';

type SyncActivities = Pick<Activities, 'importAdvisories' | 'findRematchTargets' | 'requestRematchScans'>;

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

const IMPORT = 'ActivityTaskScheduled:importAdvisories';
const FIND = 'ActivityTaskScheduled:findRematchTargets';
const REQUEST = 'ActivityTaskScheduled:requestRematchScans';

export const syncAdvisoriesScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'sync-advisories',
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
];
