import type { Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TemporalScanRunLookup } from '@repoguard/infrastructure';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The ScanRunLookup port: how the scan reconciler learns whether a scan's run has ended. */
export const SCAN_RUN_LOOKUP = Symbol('SCAN_RUN_LOOKUP');

export const scanRunLookupProvider: Provider = {
  provide: SCAN_RUN_LOOKUP,
  inject: [TEMPORAL_CLIENT],
  useFactory: (client: Client) => new TemporalScanRunLookup(client),
};
