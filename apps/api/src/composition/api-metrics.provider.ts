import { Logger, type Provider } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import { ApiMetrics } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CONNECTION } from '../temporal/temporal.module';

/** The API's Prometheus registry, one per app instance, with the scan queue read from Temporal. */
export const apiMetricsProvider: Provider = {
  provide: ApiMetrics,
  inject: [TEMPORAL_CONNECTION, API_CONFIG],
  useFactory: (connection: Connection, config: ApiConfig) => {
    const logger = new Logger('Metrics');
    return new ApiMetrics(connection, {
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      warn: (message) => logger.warn(message),
    });
  },
};
