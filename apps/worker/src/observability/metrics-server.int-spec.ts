// The worker's metrics port when things go wrong: a dependency down, Temporal not answering the
// queue gauges, the SDK exporter gone, the port taken. Scrapes keep working; the worker keeps running.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { registerScanQueueMetrics, type TemporalQueueConnection } from '@repoguard/infrastructure';
import { type MetricsServer, startMetricsServer } from './metrics-server';

describe('the worker metrics server', () => {
  const servers: MetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function start(registry: Registry, options: Partial<Parameters<typeof startMetricsServer>[0]> = {}) {
    const warnings: string[] = [];
    const server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      checks: [],
      log: () => undefined,
      warn: (m) => warnings.push(m),
      ...options,
    });
    servers.push(server);
    return { server, warnings, url: server.url! };
  }

  it('answers 503 with the failing check when a dependency is down, while liveness stays 200', async () => {
    const { url } = await start(new Registry(), {
      checks: [
        { name: 'postgres', check: async () => undefined },
        { name: 'temporal', check: async () => Promise.reject(new Error('connection refused')) },
      ],
    });
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'error',
      checks: { postgres: { status: 'up' }, temporal: { status: 'down', error: 'connection refused' } },
    });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('still serves its own metrics when Temporal and the SDK exporter do not answer, and warns once', async () => {
    const registry = new Registry();
    new Counter({ name: 'repoguard_probe_total', help: 'probe', registers: [registry] }).inc();
    const refused = async () => Promise.reject(new Error('UNAVAILABLE: connection refused'));
    const connection: TemporalQueueConnection = {
      workflowService: { describeTaskQueue: refused, countWorkflowExecutions: refused },
      withDeadline: (_deadline, fn) => fn(),
    };
    const queueWarnings: string[] = [];
    registerScanQueueMetrics(registry, {
      connection,
      namespace: 'ns',
      taskQueue: 'scans',
      warn: (m) => queueWarnings.push(m),
    });
    const { url, warnings } = await start(registry, { sdkMetricsUrl: await unusedUrl() });

    for (let i = 0; i < 2; i++) {
      const scrape = await fetch(`${url}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^repoguard_probe_total 1$/m);
      // Declared, but no made-up sample while Temporal does not answer.
      expect(text).toContain('# TYPE repoguard_scan_queue_backlog gauge');
      expect(text).not.toMatch(/^repoguard_scan_queue_backlog\{/m);
      expect(text).not.toMatch(/^repoguard_scan_workflows_running\{/m);
      expect(text).not.toMatch(/^repoguard_task_queue_backlog\{/m);
    }
    // One per kind of read (backlog, running count, queue stats), not one per scrape.
    expect(queueWarnings).toHaveLength(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Temporal SDK exporter/);
  });

  it('appends the SDK exporter text to its own', async () => {
    const sdk = createServer((_, res) => res.end('# TYPE temporal_probe counter\ntemporal_probe 7\n'));
    await new Promise<void>((resolve) => sdk.listen(0, '127.0.0.1', resolve));
    try {
      const { url } = await start(new Registry(), {
        sdkMetricsUrl: `http://127.0.0.1:${(sdk.address() as AddressInfo).port}/metrics`,
      });
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^temporal_probe 7$/m);
    } finally {
      await close(sdk);
    }
  });

  it('reports a port it cannot bind and lets the worker run on', async () => {
    const { server: first } = await start(new Registry());
    const port = Number(new URL(first.url!).port);
    const { server, warnings } = await start(new Registry(), { port });
    expect(server.url).toBeNull();
    expect(warnings.join('\n')).toMatch(/could not listen on 127\.0\.0\.1:\d+ \(.*EADDRINUSE/);
  });
});

async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await close(server);
  return `http://127.0.0.1:${port}/metrics`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
