import type { Connection } from '@temporalio/client';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { IntegrationMetrics } from './integration-metrics';
import { registerScanQueueMetrics } from './scan-queue-metrics';

export interface ApiMetricsSettings {
  readonly namespace: string;
  readonly taskQueue: string;
  readonly warn: (message: string) => void;
}

/** The API's Prometheus metrics (prom-client), on a registry of its own (one per app instance). */
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

  /** Scan requests committed to PostgreSQL that Temporal has not accepted yet (the outbox). */
  readonly scanRequestsWaiting = new Gauge({
    name: 'repoguard_scan_request_outbox_pending',
    help: 'Scan requests waiting in the outbox for Temporal to accept them',
    registers: [this.registry],
  });

  readonly scanRequestsOldestWaitingSeconds = new Gauge({
    name: 'repoguard_scan_request_outbox_oldest_seconds',
    help: 'Age of the oldest scan request waiting in the outbox (0 when none waits)',
    registers: [this.registry],
  });

  readonly scanRequestsGivenUp = new Gauge({
    name: 'repoguard_scan_request_outbox_gave_up',
    help: 'Scan requests given up (refused too often or too long, or their repository disabled), until pruned',
    registers: [this.registry],
  });

  readonly scanRequestRelays = new Counter({
    name: 'repoguard_scan_request_relays_total',
    help: 'Relays by the outbox loop (not the immediate ones), by outcome: relayed, engine_unavailable, refused, gave_up, lost (another relay took it)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly scansReconciled = new Counter({
    name: 'repoguard_scans_reconciled_total',
    help: 'Scan rows looked at by the reconciler, by outcome: abandoned (closed as SCAN_ABANDONED: their run had ended), open, unknown (Temporal not asked)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** GitHub requests the API makes (connecting repositories, installations). */
  readonly integrations = new IntegrationMetrics(this.registry);

  constructor(connection: Connection, settings: ApiMetricsSettings) {
    collectDefaultMetrics({ register: this.registry, prefix: 'repoguard_api_' });
    // The same queue depth the worker reports: scraping either process shows the backlog.
    registerScanQueueMetrics(this.registry, { connection, ...settings });
  }
}
