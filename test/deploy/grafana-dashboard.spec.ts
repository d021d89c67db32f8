import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Connection } from '@temporalio/client';
import {
  ApiMetrics,
  WorkerMetrics,
  type ScanMetricsQuery,
  type TemporalQueueConnection,
} from '@repoguard/infrastructure';

// The dashboard is only useful if its queries name metrics the apps really export, with labels
// they really carry: a typo renders as an empty panel, and nobody notices until an incident.
const REPO_ROOT = path.resolve(__dirname, '../..');

/** The metrics of issue 7 and their labels: the contract between the apps and the dashboard. */
const FIXED_METRICS: Record<string, { type: 'counter' | 'gauge' | 'histogram'; labels: string[] }> = {
  repoguard_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'status'] },
  repoguard_rate_limit_rejections_total: { type: 'counter', labels: ['kind'] },
  repoguard_webhook_deliveries_total: { type: 'counter', labels: ['event', 'outcome'] },
  repoguard_integration_requests_total: { type: 'counter', labels: ['integration'] },
  repoguard_integration_failures_total: { type: 'counter', labels: ['integration', 'reason'] },
  repoguard_integration_latency_seconds: { type: 'histogram', labels: ['integration'] },
  repoguard_scan_duration_seconds: { type: 'histogram', labels: ['outcome', 'trigger'] },
  repoguard_scan_phase_duration_seconds: { type: 'histogram', labels: ['phase', 'outcome'] },
  repoguard_scans_total: { type: 'counter', labels: ['status'] },
  repoguard_findings_open: { type: 'gauge', labels: ['severity'] },
  repoguard_scan_queue_backlog: { type: 'gauge', labels: ['task_queue'] },
  repoguard_scan_workflows_running: { type: 'gauge', labels: [] },
  repoguard_task_queue_backlog: { type: 'gauge', labels: ['task_queue', 'task_type'] },
  repoguard_task_queue_backlog_age_seconds: { type: 'gauge', labels: ['task_queue', 'task_type'] },
};
const HISTOGRAM_SERIES = /^(.+)_(?:bucket|sum|count)$/;
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool']);
const PROMQL_OPERATORS = new Set(['and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names and label names one PromQL expression refers to (enough PromQL for dashboards). */
function promqlReferences(expr: string): { metrics: string[]; labels: string[] } {
  const labels: string[] = [];
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\$\{[^}]*\}|\$\w+/g, '')
    .replace(/\{([^{}]*)\}/g, (_, matchers: string) => {
      for (const m of matchers.matchAll(/\b([A-Z_]\w*)\s*(?:=~|!~|!=|=)/gi)) labels.push(m[1] ?? '');
      return ' ';
    })
    .replace(/\[[^[\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_, list: string) => {
      labels.push(...list.split(',').map((label) => label.trim()));
      return ' ';
    });
  // Numbers, and durations after `offset` (5m, 1h30m).
  rest = rest.replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+|[smhdwy][\dsmhdwy]*)?\b/gi, ' ');
  const metrics = [...rest.matchAll(/([A-Z_:][\w:]*)(\s*\()?/gi)]
    .filter((m) => m[2] === undefined)
    .map((m) => m[1] ?? '')
    .filter((name) => !PROMQL_KEYWORDS.has(name) && !PROMQL_OPERATORS.has(name.toLowerCase()));
  return { metrics, labels: labels.filter((label) => label !== '') };
}

/** The fixed metric a series name belongs to (`x_bucket` of histogram `x` is `x`), if any. */
function fixedMetricOf(series: string): string | undefined {
  if (FIXED_METRICS[series]) return series;
  const base = HISTOGRAM_SERIES.exec(series)?.[1];
  return base && FIXED_METRICS[base]?.type === 'histogram' ? base : undefined;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { expr?: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string }[] };
}

const dashboardFile = path.join(REPO_ROOT, 'deploy/grafana/dashboards/repoguard.json');
const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queries = panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr ?? '' })),
);

describe('promqlReferences', () => {
  it('finds metric and label names and skips functions, keywords, numbers and Grafana variables', () => {
    expect(
      promqlReferences(
        'histogram_quantile(0.95, sum by (le, phase) (rate(a_seconds_bucket{outcome="error", x=~"by|on"}[$__rate_interval]))) / on (phase) b_total * 60',
      ),
    ).toEqual({ metrics: ['a_seconds_bucket', 'b_total'], labels: ['outcome', 'x', 'le', 'phase', 'phase'] });
    expect(promqlReferences('max(up) and scans_total offset 1h30m > 1e3')).toEqual({
      metrics: ['up', 'scans_total'],
      labels: [],
    });
  });
});

describe('deploy/grafana/dashboards/repoguard.json', () => {
  it('is the provisioned RepoGuard dashboard in a current schema', () => {
    expect(dashboard.uid).toBe('repoguard-overview');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(queries.length).toBeGreaterThan(20);
  });

  it('gives every panel its own id and its own place on the grid', () => {
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const overlapping = panels.flatMap((a, i) =>
      panels
        .slice(i + 1)
        .filter(
          (b) =>
            a.gridPos.x < b.gridPos.x + b.gridPos.w &&
            b.gridPos.x < a.gridPos.x + a.gridPos.w &&
            a.gridPos.y < b.gridPos.y + b.gridPos.h &&
            b.gridPos.y < a.gridPos.y + a.gridPos.h,
        )
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlapping).toEqual([]);
    for (const panel of panels) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
  });

  it('queries Prometheus through the datasource variable in every panel', () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
        panel: panel.title,
        datasource: { type: 'prometheus', uid: '${datasource}' },
      });
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  it('uses only the metrics the apps export, the Temporal SDK metrics and Prometheus up', () => {
    const unknown = queries.flatMap(({ panel, expr }) =>
      promqlReferences(expr)
        .metrics.filter((name) => !fixedMetricOf(name) && !name.startsWith('temporal_') && name !== 'up')
        .map((name) => `${panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
    // A histogram is only queryable through its series; a counter or gauge has no _bucket.
    const bare = queries.flatMap(({ expr }) =>
      promqlReferences(expr).metrics.filter((name) => FIXED_METRICS[name]?.type === 'histogram'),
    );
    expect(bare).toEqual([]);
  });

  it('groups and filters only by labels the queried metrics carry', () => {
    const wrong = queries.flatMap(({ panel, expr }) => {
      const { metrics, labels } = promqlReferences(expr);
      const fixed = metrics.map(fixedMetricOf).filter((name): name is string => !!name);
      if (fixed.length !== metrics.length) return []; // temporal_* and up: labels owned by others
      const carried = new Set([
        ...TARGET_LABELS,
        ...fixed.flatMap((name) => FIXED_METRICS[name]?.labels ?? []),
        ...(metrics.some((name) => name.endsWith('_bucket')) ? ['le'] : []),
      ]);
      return labels.filter((label) => !carried.has(label)).map((label) => `${panel}: ${label}`);
    });
    expect(wrong).toEqual([]);
  });

  it('shows every RepoGuard metric somewhere', () => {
    const used = new Set(queries.flatMap(({ expr }) => promqlReferences(expr).metrics.map(fixedMetricOf)));
    expect(Object.keys(FIXED_METRICS).filter((name) => !used.has(name))).toEqual([]);
  });

  it('has panels on the Temporal SDK worker metrics', () => {
    const temporal = queries.flatMap(({ expr }) =>
      promqlReferences(expr).metrics.filter((name) => name.startsWith('temporal_')),
    );
    expect(temporal.length).toBeGreaterThanOrEqual(2);
  });

  it('reads every RepoGuard metric under the name and type the API or the worker registers it', async () => {
    // An empty Temporal: the queue gauges need a connection to exist, not a real one.
    const connection: TemporalQueueConnection = {
      workflowService: {
        describeTaskQueue: () => Promise.resolve({}),
        countWorkflowExecutions: () => Promise.resolve({}),
      },
      withDeadline: (_, fn) => fn(),
    };
    const queue = { TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'scans' };
    const api = new ApiMetrics(connection as unknown as Connection, {
      namespace: queue.TEMPORAL_NAMESPACE,
      taskQueue: queue.TEMPORAL_TASK_QUEUE,
      warn: () => undefined,
    });
    const worker = new WorkerMetrics(
      { openFindingsBySeverity: () => Promise.resolve(new Map()) } as unknown as ScanMetricsQuery,
      () => undefined,
    );
    worker.watchQueue({
      connection,
      namespace: queue.TEMPORAL_NAMESPACE,
      taskQueue: queue.TEMPORAL_TASK_QUEUE,
    });
    const registered = [
      ...(await api.registry.getMetricsAsJSON()),
      ...(await worker.registry.getMetricsAsJSON()),
    ];
    const types = Object.fromEntries(registered.map((metric) => [metric.name, String(metric.type)]));
    for (const [name, { type }] of Object.entries(FIXED_METRICS)) {
      expect({ name, type: types[name] }).toEqual({ name, type });
    }
  });
});

describe('deploy/grafana/provisioning', () => {
  const read = (file: string): unknown =>
    parse(readFileSync(path.join(REPO_ROOT, 'deploy/grafana/provisioning', file), 'utf8'));

  it('provides the Prometheus of docker-compose.yml as the default datasource', () => {
    const { datasources } = read('datasources/prometheus.yml') as {
      datasources: { type: string; url: string; isDefault: boolean }[];
    };
    expect(datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
  });

  it('loads dashboards from files, read-only', () => {
    const { providers } = read('dashboards/provider.yml') as {
      providers: { type: string; allowUiUpdates: boolean; options: { path: string } }[];
    };
    expect(providers).toEqual([
      expect.objectContaining({ type: 'file', allowUiUpdates: false, options: expect.any(Object) }),
    ]);
  });
});
