import { Logger, type Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TemporalScanTerminator } from '@repoguard/infrastructure';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The ScanTerminator port: how a disconnect, a purge or an org deletion stops running scans. */
export const SCAN_TERMINATOR = Symbol('SCAN_TERMINATOR');

export const scanTerminatorProvider: Provider = {
  provide: SCAN_TERMINATOR,
  inject: [TEMPORAL_CLIENT],
  useFactory: (client: Client) => {
    const logger = new Logger('Scans');
    return new TemporalScanTerminator(client, (message) => logger.warn(message));
  },
};
