import type { Context } from '@temporalio/activity';
import type { ScanMetricsQuery } from './scan-metrics.query';
import { scanMetricsInterceptor } from './scan-metrics.interceptor';
import { WorkerMetrics } from './worker-metrics';

describe('scanMetricsInterceptor', () => {
  const ended = new Map([['scan-1', { trigger: 'push', seconds: 42 }]]);
  const query = {
    endedScan: async (id: string) => {
      if (id === 'broken') throw new Error('connection terminated');
      return ended.get(id) ?? null;
    },
    openFindingsBySeverity: async () => new Map<string, number>(),
  } as unknown as ScanMetricsQuery;

  function run(metrics: WorkerMetrics, warn: (m: string) => void, activityType: string, body: () => unknown) {
    const factory = scanMetricsInterceptor(metrics, query, warn);
    const { inbound } = factory({ info: { activityType } } as Context);
    const next = async () => body();
    const input = {
      args: [
        { scanId: ['recordScanFailure', 'rematchSnapshot'].includes(activityType) ? 'scan-1' : 'broken' },
      ],
      headers: {},
    };
    return inbound ? inbound.execute!(input, next) : next();
  }

  it('times each attempt by phase and outcome, and rethrows what the activity threw', async () => {
    const metrics = new WorkerMetrics(query, () => undefined);
    const failure = new Error('OSV answered 500');
    await expect(
      run(
        metrics,
        () => undefined,
        'osvQuery',
        () => {
          throw failure;
        },
      ),
    ).rejects.toBe(failure);
    await expect(
      run(
        metrics,
        () => undefined,
        'osvQuery',
        () => 'matched',
      ),
    ).resolves.toBe('matched');
    await run(
      metrics,
      () => undefined,
      'probeDatabase',
      () => 'not a scan',
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^repoguard_scan_phase_duration_seconds_count\{phase="match",outcome="error"\} 1$/m);
    expect(text).toMatch(/^repoguard_scan_phase_duration_seconds_count\{phase="match",outcome="ok"\} 1$/m);
    expect(text).not.toMatch(/probeDatabase/);
  });

  it("counts a failed scan with its row's trigger and duration", async () => {
    const metrics = new WorkerMetrics(query, () => undefined);
    await run(
      metrics,
      () => undefined,
      'recordScanFailure',
      () => undefined,
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^repoguard_scans_total\{status="failed"\} 1$/m);
    expect(text).toMatch(/^repoguard_scans_total\{status="completed"\} 0$/m);
    expect(text).toMatch(/^repoguard_scan_duration_seconds_sum\{outcome="failed",trigger="push"\} 42$/m);
  });

  it('does not fail a completed verdict when its scan row cannot be read', async () => {
    const warnings: string[] = [];
    const metrics = new WorkerMetrics(query, () => undefined);
    await expect(
      run(
        metrics,
        (m) => warnings.push(m),
        'evaluatePolicy',
        () => 'PASS',
      ),
    ).resolves.toBe('PASS');
    expect(warnings).toEqual([expect.stringMatching(/scan broken ended.*connection terminated/)]);
    expect(await metrics.registry.metrics()).toMatch(/^repoguard_scans_total\{status="completed"\} 0$/m);
  });

  it('counts a re-match (one activity) as completed with its verdict, and not at all when superseded', async () => {
    const metrics = new WorkerMetrics(query, () => undefined);
    await run(
      metrics,
      () => undefined,
      'rematchSnapshot',
      () => ({ commitSha: 'c', snapshotId: 's', superseded: true }),
    );
    expect(await metrics.registry.metrics()).toMatch(/^repoguard_scans_total\{status="completed"\} 0$/m);
    await run(
      metrics,
      () => undefined,
      'rematchSnapshot',
      () => ({ commitSha: 'c', snapshotId: 's', vulnerabilities: 1, open: 1, fixed: 0, status: 'WARN' }),
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^repoguard_scans_total\{status="completed"\} 1$/m);
    expect(text).toMatch(/^repoguard_scan_duration_seconds_sum\{outcome="completed",trigger="push"\} 42$/m);
  });
});
