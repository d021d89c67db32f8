import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Connection } from '@temporalio/client';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { IntegrationMetrics, registerScanQueueMetrics } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CONNECTION } from '../temporal/temporal.module';

/** The API's Prometheus metrics (prom-client), on a registry of its own (one per app instance). */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'repoguard_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'repoguard_rate_limit_rejections_total',
    help: 'Requests answered 429, by what was limited (token or address)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'repoguard_webhook_deliveries_total',
    help: 'GitHub webhook deliveries by event and outcome',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });

  /** GitHub requests the API makes (connecting repositories, installations). */
  readonly integrations = new IntegrationMetrics(this.registry);

  constructor(@Inject(TEMPORAL_CONNECTION) connection: Connection, @Inject(API_CONFIG) config: ApiConfig) {
    collectDefaultMetrics({ register: this.registry, prefix: 'repoguard_api_' });
    // The same queue depth the worker reports: scraping either process shows the backlog.
    const logger = new Logger('Metrics');
    registerScanQueueMetrics(this.registry, {
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      warn: (message) => logger.warn(message),
    });
  }
}
