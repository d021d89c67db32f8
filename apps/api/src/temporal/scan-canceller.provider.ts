import { Logger, type Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TemporalScanCanceller } from '@repoguard/infrastructure';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The ScanCanceller port: how a disconnect, a purge or an org deletion stops running scans. */
export const SCAN_CANCELLER = Symbol('SCAN_CANCELLER');

export const scanCancellerProvider: Provider = {
  provide: SCAN_CANCELLER,
  inject: [TEMPORAL_CLIENT],
  useFactory: (client: Client) => {
    const logger = new Logger('Scans');
    return new TemporalScanCanceller(client, (message) => logger.log(message));
  },
};
