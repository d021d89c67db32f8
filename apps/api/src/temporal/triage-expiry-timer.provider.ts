import type { Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TemporalTriageExpiryTimer } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The TriageExpiryTimer port. */
export const TRIAGE_EXPIRY_TIMER = Symbol('TRIAGE_EXPIRY_TIMER');

/** Ignore-expiry timers run on the scan task queue, which every worker polls. */
export const triageExpiryTimerProvider: Provider = {
  provide: TRIAGE_EXPIRY_TIMER,
  inject: [TEMPORAL_CLIENT, API_CONFIG],
  useFactory: (client: Client, config: ApiConfig) =>
    new TemporalTriageExpiryTimer(client, config.TEMPORAL_TASK_QUEUE),
};
