import type { Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TemporalPullRequestCheckStarter } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SCAN_REQUEST_TIMEOUT_MS } from './scan-requester.provider';
import { TEMPORAL_CLIENT } from './temporal.module';

/** The PullRequestCheckStarter port. */
export const PULL_REQUEST_CHECK_STARTER = Symbol('PULL_REQUEST_CHECK_STARTER');

/** Pull-request checks run on the scan task queue, debounced like pushes. */
export const pullRequestCheckStarterProvider: Provider = {
  provide: PULL_REQUEST_CHECK_STARTER,
  inject: [TEMPORAL_CLIENT, API_CONFIG],
  useFactory: (client: Client, config: ApiConfig) =>
    new TemporalPullRequestCheckStarter(client, config.TEMPORAL_TASK_QUEUE, {
      ...(config.SCAN_QUIET_WINDOW_MS !== undefined ? { quietWindowMs: config.SCAN_QUIET_WINDOW_MS } : {}),
      requestTimeoutMs: SCAN_REQUEST_TIMEOUT_MS,
    }),
};
