import { log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '@repoguard/activities';
import {
  syncProgressQuery,
  type AdvisorySourceReport,
  type SyncAdvisoriesInput,
  type SyncAdvisoriesProgress,
  type SyncAdvisoriesResult,
} from '@repoguard/contract';

const { importAdvisories } = proxyActivities<Activities>({
  // A whole ecosystem's export is downloaded and written in one step.
  startToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
  },
});
const { findRematchTargets, requestRematchScans } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});

/** Scan requests per activity call: small enough to retry cheaply, large enough to be quick. */
const REQUEST_BATCH = 100;

/**
 * Brings the advisory mirror up to date from OSV exports, then asks every repository whose last
 * scanned snapshot holds a package a changed advisory names to match that snapshot again: no
 * repository is fetched, and the re-matches run on their own low-priority queue.
 */
export async function syncAdvisoriesWorkflow(input: SyncAdvisoriesInput): Promise<SyncAdvisoriesResult> {
  const sources: AdvisorySourceReport[] = [];
  let progress: SyncAdvisoriesProgress = {
    phase: 'IMPORTING',
    sources,
    sourcesLeft: input.sources.length,
    affectedRepos: 0,
    scansRequested: 0,
  };
  setHandler(syncProgressQuery, () => ({ ...progress, sources: [...sources] }));

  let earliestWrite: string | null = null;
  for (const source of input.sources) {
    const { writtenAt, ...report } = await importAdvisories({ source });
    sources.push(report);
    progress = { ...progress, sourcesLeft: input.sources.length - sources.length };
    log.info('advisories imported', { ...report });
    if (writtenAt && (earliestWrite === null || writtenAt < earliestWrite)) earliestWrite = writtenAt;
  }

  if (earliestWrite !== null && input.rematch !== false) {
    progress = { ...progress, phase: 'FINDING_AFFECTED' };
    const targets = await findRematchTargets({ writtenAt: earliestWrite });
    progress = { ...progress, phase: 'REQUESTING_SCANS', affectedRepos: targets.length };
    for (let i = 0; i < targets.length; i += REQUEST_BATCH) {
      const { requested } = await requestRematchScans({
        targets: targets.slice(i, i + REQUEST_BATCH),
        scanTaskQueue: input.scanTaskQueue,
        rematchTaskQueue: input.rematchTaskQueue,
        ...(input.scanTiming ? { scanTiming: input.scanTiming } : {}),
        syncId: `${workflowInfo().workflowId}@${workflowInfo().runId}`,
      });
      progress = { ...progress, scansRequested: progress.scansRequested + requested };
    }
    log.info('re-matches requested', { affectedRepos: targets.length });
  }
  progress = { ...progress, phase: 'DONE' };
  return { ...progress, sources: [...sources] };
}
