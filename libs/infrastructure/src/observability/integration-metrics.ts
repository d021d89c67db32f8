import { Counter, Histogram, type Registry } from 'prom-client';

export type IntegrationName = 'github' | 'osv';

/** Why an outgoing request failed, as the dashboards group it. */
export type IntegrationFailureReason = 'timeout' | 'network' | '429' | 'auth' | '5xx' | '4xx';

/**
 * Outgoing GitHub and OSV requests, on the registry of the process making them (API or worker),
 * so both export the same series under the same names.
 */
export class IntegrationMetrics {
  readonly requests: Counter<'integration'>;
  readonly failures: Counter<'integration' | 'reason'>;
  readonly latency: Histogram<'integration'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'repoguard_integration_requests_total',
      help: 'HTTP requests sent to GitHub and OSV',
      labelNames: ['integration'] as const,
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'repoguard_integration_failures_total',
      help: 'GitHub and OSV requests that failed, by reason (timeout, network, 429, auth, 5xx, 4xx)',
      labelNames: ['integration', 'reason'] as const,
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'repoguard_integration_latency_seconds',
      help: 'Time until GitHub or OSV answered with a status (or the request failed)',
      labelNames: ['integration'] as const,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    // Zero series up front: a dashboard's rate() sees the first failure instead of a new series.
    for (const integration of ['github', 'osv'] as const) this.requests.inc({ integration }, 0);
  }

  /** One request: `seconds` null when we cancelled it ourselves (its latency means nothing). */
  record(
    integration: IntegrationName,
    seconds: number | null,
    failure: IntegrationFailureReason | null,
  ): void {
    this.requests.inc({ integration });
    if (seconds !== null) this.latency.observe({ integration }, seconds);
    if (failure) this.failures.inc({ integration, reason: failure });
  }
}
