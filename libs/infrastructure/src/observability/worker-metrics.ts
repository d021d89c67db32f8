import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SEVERITIES, type ScanStepName } from '@repoguard/domain';
import { IntegrationMetrics } from './integration-metrics';
import type { ScanMetricsQuery } from './scan-metrics.query';
import { registerScanQueueMetrics, type ScanQueueMetricsOptions } from './scan-queue-metrics';

/** The step names the API and the logs use too; dashboards read them, so they stay as they are. */
export type ScanPhaseLabel = ScanStepName;

/** The worker's Prometheus metrics, on a registry of its own, served by the metrics server. */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly integrations = new IntegrationMetrics(this.registry);

  readonly scanDuration = new Histogram({
    name: 'repoguard_scan_duration_seconds',
    help: 'Scans from start to end, by outcome (completed, failed) and trigger',
    labelNames: ['outcome', 'trigger'] as const,
    buckets: [1, 2.5, 5, 10, 20, 40, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });

  readonly phaseDuration = new Histogram({
    name: 'repoguard_scan_phase_duration_seconds',
    help: 'Each attempt of a scan step (fetch, parse, match, persist, evaluate), by outcome (ok, error)',
    labelNames: ['phase', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly scans = new Counter({
    name: 'repoguard_scans_total',
    help: 'Scans that ended, by status (completed, failed)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly query: ScanMetricsQuery,
    private readonly warn: (message: string) => void,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'repoguard_worker_' });
    for (const status of ['completed', 'failed'] as const) this.scans.inc({ status }, 0);
    this.registerOpenFindings();
  }

  /** The queue gauges need the worker's Temporal connection, which exists only after boot. */
  watchQueue(options: Omit<ScanQueueMetricsOptions, 'warn'>): void {
    registerScanQueueMetrics(this.registry, { ...options, warn: this.warn });
  }

  scanEnded(outcome: 'completed' | 'failed', trigger: string, seconds: number): void {
    this.scans.inc({ status: outcome });
    this.scanDuration.observe({ outcome, trigger }, seconds);
  }

  private registerOpenFindings(): void {
    const { query, warn } = this;
    let warned = false;
    new Gauge({
      name: 'repoguard_findings_open',
      help: 'Open findings across all orgs by severity (critical, high, medium, low, unknown), read at scrape time',
      labelNames: ['severity'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          // A scrape must not wait on a pool that cannot reach PostgreSQL (Prometheus gives up at 10 s).
          const counts = await withinMs(2_000, query.openFindingsBySeverity());
          // Every severity reported, zero included, so a dashboard's sum never loses a series.
          for (const severity of SEVERITIES) {
            this.set({ severity: severity.toLowerCase() }, counts.get(severity) ?? 0);
          }
          warned = false;
        } catch (error) {
          if (!warned) warn(`metrics: could not count open findings (${(error as Error).message})`);
          warned = true;
        }
      },
    });
  }
}

function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
