// An org's periodic rescan, for real with a stub page activity (no database): pages of
// repositories asked for one after the other, and a long one continuing as new.
import type { Activities } from '@repoguard/activities';
import type { RescanOrgInput } from '@repoguard/contract';
import { RESCAN_ORG_WORKFLOW } from '../../libs/contract/src/notification.contract';
import { closingEvent, expectBranch, type HistoryScenario, type RecordingContext } from './history-recorder';

type RescanActivities = Pick<Activities, 'requestRescanPage'>;

const PAGE = 'ActivityTaskScheduled:requestRescanPage';

/** An org of `pages` full pages (the workflow asks 100 repositories a page): one asked per repository. */
function orgOf(pages: number): RescanActivities {
  return {
    requestRescanPage: async ({ afterRepoId, limit }) => {
      const index = afterRepoId === null ? 0 : Number(afterRepoId.replace('repo-', '')) + 1;
      const last = index === pages - 1;
      // Ids sort as the store's page order does: each page starts after the last one's place.
      return { requested: limit, nextAfter: last ? null : `repo-${String(index).padStart(4, '0')}` };
    },
  };
}

async function rescan(context: RecordingContext, activities: RescanActivities) {
  const workflowId = `org-rescan:${context.taskQueue}`;
  const result = await context.withWorker(activities, async () => {
    const started = await context.client.workflow.start<
      (input: RescanOrgInput) => Promise<{ requested: number }>
    >(RESCAN_ORG_WORKFLOW, {
      workflowId,
      taskQueue: context.taskQueue,
      args: [{ orgId: `org-${context.taskQueue}` }],
    });
    return { firstRunId: started.firstExecutionRunId, ...(await started.result()) };
  });
  const first = await context.history(workflowId, result.firstRunId);
  const continued =
    first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? null;
  return {
    first,
    second: continued ? await context.history(workflowId, continued) : null,
    requested: result.requested,
  };
}

function expectRequested(branch: string, requested: number, expected: number) {
  if (requested !== expected)
    throw new Error(`${branch}: the rescan asked for ${requested}, not ${expected}`);
}

export const rescanOrgScenarios: readonly HistoryScenario[] = [
  {
    workflow: 'rescan-org',
    branches: ['pages'],
    covers: 'an org of three pages of repositories: each page asked for in turn from where the last ended',
    async record(context) {
      const { first, requested } = await rescan(context, orgOf(3));
      expectBranch('pages', first, {
        has: ['WorkflowExecutionCompleted'],
        lacks: ['WorkflowExecutionContinuedAsNew'],
        count: { [PAGE]: 3 },
      });
      expectRequested('pages', requested, 300);
      return { pages: first };
    },
  },
  {
    workflow: 'rescan-org',
    branches: ['continue-as-new', 'continue-as-new-follow-up'],
    covers:
      'an org of more pages than one run holds (its page budget, or sooner when Temporal suggests it): continue-as-new with the run key, the place reached and the count; the run it continued into pages on',
    async record(context) {
      // 110 pages: past the 100-page budget even where the server never suggests continuing.
      const { first, second, requested } = await rescan(context, orgOf(110));
      expectBranch('continue-as-new', first, { has: [PAGE, 'WorkflowExecutionContinuedAsNew'] });
      if (!second) throw new Error('continue-as-new: the first run did not continue as new');
      expectBranch('continue-as-new-follow-up', second, { has: [PAGE] });
      if (!['WorkflowExecutionCompleted', 'WorkflowExecutionContinuedAsNew'].includes(closingEvent(second)))
        throw new Error(`continue-as-new-follow-up: ended ${closingEvent(second)}`);
      expectRequested('continue-as-new', requested, 110 * 100);
      return { 'continue-as-new': first, 'continue-as-new-follow-up': second };
    },
  },
];
