import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import type { RescanOrgInput } from '@repoguard/contract';

const { requestRescanPage } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // A page reports each repository asked for: a retry resumes there.
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});

/** Repositories per activity call: a retry is cheap, and only positions travel through history. */
const PAGE_SIZE = 100;
/** Pages per run before continuing as new: an org of any size keeps a short history. */
const PAGES_PER_RUN = 100;

export interface RescanOrgContinued {
  readonly runKey: string;
  readonly afterRepoId: string | null;
  readonly requested: number;
}

/**
 * An org's periodic rescan (its Schedule `org-rescan:<org id>`): asks for a scan of each enabled
 * repository's default branch, a page at a time, through the same request path as a manual scan.
 * Requests are named by the run and the repository, so each is asked once per run.
 */
export async function rescanOrgWorkflow(
  input: RescanOrgInput & { readonly continued?: RescanOrgContinued },
): Promise<{ requested: number }> {
  const info = workflowInfo();
  const runKey = input.continued?.runKey ?? `${info.workflowId}@${info.firstExecutionRunId}`;
  let after = input.continued?.afterRepoId ?? null;
  let requested = input.continued?.requested ?? 0;
  for (let pages = 0; ; pages++) {
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof rescanOrgWorkflow>({
        orgId: input.orgId,
        continued: { runKey, afterRepoId: after, requested },
      });
    }
    const page = await requestRescanPage({
      orgId: input.orgId,
      runKey,
      afterRepoId: after,
      limit: PAGE_SIZE,
    });
    requested += page.requested;
    if (page.nextAfter === null) return { requested };
    after = page.nextAfter;
  }
}
