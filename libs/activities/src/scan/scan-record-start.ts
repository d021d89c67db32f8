import type { ScanRecordStart } from '@repoguard/domain';

/** The scan row as a step opens or closes it: the same fields whichever step does it first. */
export function scanRecordStart(
  input: Pick<ScanRecordStart, 'scanId' | 'orgId' | 'repoId' | 'workflowId' | 'runId' | 'requestedBy'>,
  trigger: ScanRecordStart['trigger'],
  ref: string | null = null,
): ScanRecordStart {
  return {
    scanId: input.scanId,
    orgId: input.orgId,
    repoId: input.repoId,
    workflowId: input.workflowId,
    runId: input.runId,
    trigger,
    requestedBy: input.requestedBy,
    ref,
  };
}
