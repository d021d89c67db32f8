import { Logger, type Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TemporalScanRequester } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The ScanRequester port. */
export const SCAN_REQUESTER = Symbol('SCAN_REQUESTER');

/**
 * One signal-with-start, the client's retries included: the relay's lease covers a whole round of
 * them (RelaySettings.requestTimeoutMs).
 */
export const SCAN_REQUEST_TIMEOUT_MS = 5_000;

/** How the API's outbox relay hands scan requests to Temporal, with the configured debounce. */
export const scanRequesterProvider: Provider = {
  provide: SCAN_REQUESTER,
  inject: [TEMPORAL_CLIENT, API_CONFIG],
  useFactory: (client: Client, config: ApiConfig) => {
    const logger = new Logger('Scans');
    return new TemporalScanRequester(
      client,
      config.TEMPORAL_TASK_QUEUE,
      {
        ...(config.SCAN_QUIET_WINDOW_MS !== undefined ? { quietWindowMs: config.SCAN_QUIET_WINDOW_MS } : {}),
        ...(config.SCAN_MAX_WAIT_MS !== undefined ? { maxWaitMs: config.SCAN_MAX_WAIT_MS } : {}),
      },
      // Bounded: the relay tries again later, and the webhook or API caller is waiting meanwhile.
      { warn: (message) => logger.warn(message), requestTimeoutMs: SCAN_REQUEST_TIMEOUT_MS },
    );
  },
};
