import { continueAsNew, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
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
/** The steps that only read and write the database (and signal): retried quickly, often. */
const SHORT_STEP_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
} as const;
const { findRematchTargets, requestRematchScans } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: SHORT_STEP_RETRY,
});

/** Scan requests per activity call: small enough to retry cheaply, large enough to be quick. */
const REQUEST_BATCH = 100;

/**
 * Syncs started by this code are measured from their own run (see `syncRunWatermark`); histories
 * recorded before it replay the old steps below.
 */
export const SYNC_RUN_WATERMARK_PATCH = 'sync-run-watermark';

// The sync-run path's own activity options (the old path's stay as recorded).
const { importAdvisories: importIntoRun } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // The import heartbeats while it downloads and writes: a dead worker is noticed in minutes.
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
  },
});
const { collectRematchTargets } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // A page heartbeats the place it reached: a retry resumes there instead of starting over.
  heartbeatTimeout: '30 seconds',
  retry: SHORT_STEP_RETRY,
});
// A page keeps only REMATCH_OPEN_LIMIT re-match requests open at a time, so it may take many
// minutes; after half of this it asks for the rest of the page at once. (A schedule option only:
// histories recorded with the 5 minutes before replay the same.)
const { requestRematchPage } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: SHORT_STEP_RETRY,
});

const DEFAULT_PAGE_SIZE = 250;
/** Pages per run before continuing as new: a run's history stays a few hundred events. */
const PAGES_PER_RUN = 100;

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

  if (patched(SYNC_RUN_WATERMARK_PATCH)) {
    return syncRunWatermark(input, sources, (next) => {
      progress = { ...progress, ...next };
    });
  }

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

/**
 * At-least-once throughout: the run is its own watermark (the mirror's position as it began, kept
 * in the database), so an import whose completion was lost still has its advisories re-matched;
 * the targets are stored under the run and requested a page at a time, so only counts and
 * positions travel through history; and re-match requests have ids derived from the run and the
 * snapshot, so a retried page or a resumed run never asks a repository twice.
 */
async function syncRunWatermark(
  input: SyncAdvisoriesInput,
  sources: AdvisorySourceReport[],
  report: (progress: Partial<SyncAdvisoriesProgress>) => void,
): Promise<SyncAdvisoriesResult> {
  const { continued } = input;
  const info = workflowInfo();
  const syncRunId = continued?.syncRunId ?? `${info.workflowId}@${info.firstExecutionRunId}`;
  let affectedRepos = continued?.affectedRepos ?? 0;
  let scansRequested = continued?.scansRequested ?? 0;
  const done = (): SyncAdvisoriesResult => ({
    phase: 'DONE',
    sources: [...sources],
    sourcesLeft: 0,
    affectedRepos,
    scansRequested,
  });

  if (continued) {
    sources.push(...continued.sources);
    report({ phase: 'REQUESTING_SCANS', sourcesLeft: 0, affectedRepos, scansRequested });
  } else {
    for (const source of input.sources) {
      const { writtenAt: _writtenAt, ...imported } = await importIntoRun({ source, syncRunId });
      sources.push(imported);
      report({ sourcesLeft: input.sources.length - sources.length });
      log.info('advisories imported', { ...imported });
    }
    if (input.rematch === false) {
      report(done());
      return done();
    }
    report({ phase: 'FINDING_AFFECTED' });
    affectedRepos = (await collectRematchTargets({ syncRunId })).targets;
    report({ phase: 'REQUESTING_SCANS', affectedRepos });
  }

  // A page size that is not a whole number above 0 would never advance through the targets.
  const requestedPageSize = input.rematchPageSize ?? DEFAULT_PAGE_SIZE;
  const pageSize =
    Number.isInteger(requestedPageSize) && requestedPageSize > 0 ? requestedPageSize : DEFAULT_PAGE_SIZE;
  let pages = 0;
  for (let seq = continued?.nextSeq ?? 1; seq <= affectedRepos; seq += pageSize) {
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof syncAdvisoriesWorkflow>({
        ...input,
        continued: { syncRunId, sources: [...sources], affectedRepos, scansRequested, nextSeq: seq },
      });
    }
    const { requested } = await requestRematchPage({
      syncRunId,
      fromSeq: seq,
      limit: pageSize,
      scanTaskQueue: input.scanTaskQueue,
      rematchTaskQueue: input.rematchTaskQueue,
      ...(input.scanTiming ? { scanTiming: input.scanTiming } : {}),
    });
    pages++;
    scansRequested += requested;
    report({ scansRequested });
  }
  log.info('re-matches requested', { affectedRepos, syncRunId });
  report(done());
  return done();
}
