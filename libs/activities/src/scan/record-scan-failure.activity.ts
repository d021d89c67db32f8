import type { ScanRepository } from '@repoguard/domain';
import type { ScanRef } from './scan-activity.types';

export interface RecordScanFailureDeps {
  readonly scans: ScanRepository;
  readonly now: () => Date;
}

/** Records why a scan ended FAILED; the repo keeps an earlier verdict (ERROR only if it had none). */
export function createRecordScanFailureActivity({ scans, now }: RecordScanFailureDeps) {
  return async function recordScanFailure(input: ScanRef & { code: string; message: string }): Promise<void> {
    // One transaction: a retry after a lost answer finds the failure recorded and tells of it once.
    await scans.recordFailure(input, input.code, input.message, now());
  };
}
