import * as fs from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSelfSignedCert } from './self-signed-cert';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface ExportDownloadStandIn {
  /** e.g. https://127.0.0.1:41234, behind a self-signed certificate for 127.0.0.1. */
  readonly httpsUrl: string;
  /** The same routes over plain http://. */
  readonly httpUrl: string;
  /** The certificate to trust (NODE_EXTRA_CA_CERTS of the process that downloads). */
  readonly caFile: string;
  /** TCP connections each server accepted: a refused URL must not even connect. */
  readonly connections: { https: number; http: number };
  /** Paths asked for, in order, as `https /npm/all.zip`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Where advisory exports are downloaded from (OSV's bucket, or a mirror of it): the given routes
 * served over https with a self-signed certificate and over http, counting connections.
 */
export async function startExportDownloadStandIn(
  routes: Readonly<Record<string, Route>>,
): Promise<ExportDownloadStandIn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-export-stand-in-'));
  const { keyFile, caFile } = writeSelfSignedCert(dir);
  const connections = { https: 0, http: 0 };
  const requests: string[] = [];
  const handler =
    (scheme: 'https' | 'http'): Route =>
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      requests.push(`${scheme} ${url.pathname}`);
      const route = routes[url.pathname];
      if (route) route(req, res);
      else res.writeHead(404).end('no such object');
    };
  const https = createHttpsServer(
    { key: fs.readFileSync(keyFile), cert: fs.readFileSync(caFile) },
    handler('https'),
  );
  const http = createHttpServer(handler('http'));
  https.on('connection', () => connections.https++);
  http.on('connection', () => connections.http++);
  await Promise.all(
    [https, http].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
  );
  const port = (server: typeof http | typeof https) => (server.address() as AddressInfo).port;
  return {
    httpsUrl: `https://127.0.0.1:${port(https)}`,
    httpUrl: `http://127.0.0.1:${port(http)}`,
    caFile,
    connections,
    requests,
    async close() {
      for (const server of [https, http]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
