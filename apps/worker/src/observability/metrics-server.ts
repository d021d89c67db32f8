import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { checkAll, type HealthCheck } from '@repoguard/infrastructure';

export interface MetricsServerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly registry: Registry;
  /** What /health/ready checks; the same checks, and the same answer, as the API's. */
  readonly checks: readonly HealthCheck[];
  /** The Temporal SDK's Prometheus exporter (loopback), appended to /metrics. */
  readonly sdkMetricsUrl?: string;
  readonly log: (message: string) => void;
  readonly warn: (message: string) => void;
}

export interface MetricsServer {
  /** http://host:port as bound; null when the port could not be bound. */
  readonly url: string | null;
  close(): Promise<void>;
}

/**
 * GET /metrics, /health/live and /health/ready on the worker's own small port: the worker has no
 * other HTTP listener. A port that cannot be bound is reported and the worker scans on without it:
 * losing metrics must not stop scans.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  let sdkWarned = false;
  const sdkMetrics = async (): Promise<string> => {
    if (!options.sdkMetricsUrl) return '';
    try {
      const response = await fetch(options.sdkMetricsUrl, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      sdkWarned = false;
      return await response.text();
    } catch (error) {
      if (!sdkWarned)
        options.warn(`metrics: the Temporal SDK exporter did not answer (${(error as Error).message})`);
      sdkWarned = true;
      return '';
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/metrics') {
      const [own, sdk] = await Promise.all([options.registry.metrics(), sdkMetrics()]);
      return send(res, 200, options.registry.contentType, sdk ? `${own}\n${sdk}` : own);
    }
    if (path === '/health/live') return sendJson(res, 200, { status: 'ok' });
    if (path === '/health/ready' || path === '/health') {
      const report = await checkAll(options.checks);
      return sendJson(res, report.status === 'ok' ? 200 : 503, report);
    }
    return send(res, 404, 'text/plain', 'not found\n');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    options.warn(
      `metrics: could not listen on ${options.host}:${options.port} (${(error as Error).message}); running without /metrics and /health`,
    );
    return { url: null, close: async () => undefined };
  }
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  options.log(`metrics listening on ${url}`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A scraper's keep-alive connection would hold `close` open.
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
