import type { ScanCloseOutcome, ScanRepository } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { CloseScanInput } from './scan-activity.types';
import { scanRecordStart } from './scan-record-start';

export interface CloseScanDeps {
  readonly scans: ScanRepository;
  readonly now: () => Date;
}

/**
 * Closes the row of a scan its workflow gave up without a verdict: a push took over a re-match
 * (SUPERSEDED), or no re-match worker took a step in time (FAILED, the re-match asked again). The
 * row is created when no step opened it yet, so a step still in flight finds it final. Nothing to
 * close once the repository is gone.
 */
export function createCloseScanActivity({ scans, now }: CloseScanDeps) {
  return async function closeScan(input: CloseScanInput): Promise<void> {
    return asActivity(async () => {
      const outcome: ScanCloseOutcome =
        input.outcome === 'SUPERSEDED'
          ? { status: 'SUPERSEDED' }
          : { status: 'FAILED', code: input.code ?? 'SCAN_FAILED', message: input.message ?? '' };
      await scans.close(scanRecordStart(input, input.trigger), outcome, now());
    }, input);
  };
}
