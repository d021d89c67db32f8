import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdvisoryIndex, isEcosystem, isObject, type Ecosystem, type OsvRecord } from '@repoguard/domain';
import { sendJson } from './send-json';

export interface OsvStandInRequest {
  readonly method: string;
  readonly path: string;
  /** For querybatch: how many queries the body held. */
  readonly queries?: number;
}

export interface OsvStandInOptions {
  /** Ids per querybatch result page; OSV's own page size is 1,000. */
  readonly pageSize?: number;
}

export interface OsvStandIn {
  /** Base URL, e.g. http://127.0.0.1:43121 (no trailing slash). */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: OsvStandInRequest[];
  /** The most requests ever in flight at once since start (or the last `reset`). */
  readonly maxInFlight: number;
  /** The next `count` requests get `status` (with OSV's error body) instead of an answer. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** The next `count` requests are answered only after `ms`. */
  delayNext(count: number, ms: number): void;
  /** The next request is never answered (until `close`). */
  hangNext(): void;
  setRecords(records: readonly OsvRecord[]): void;
  /** Clears the request log, `maxInFlight` and any pending faults. */
  reset(): void;
  close(): Promise<void>;
}

/** OSV's querybatch limit: more queries in one request are refused with 400. */
const MAX_QUERIES = 1000;

interface Failure {
  readonly status: number;
  readonly headers: Record<string, string>;
}

interface PageToken {
  readonly key: string;
  readonly offset: number;
}

/**
 * An OSV.dev API stand-in on the loopback: `POST /v1/querybatch` and `GET /v1/vulns/{id}`,
 * answered from the given records with the domain's own matcher, with OSV's quirks (results carry
 * only id and modified, `{}` for no match, 400 over 1,000 queries, per-query page tokens) and
 * fault injection for the adapter's error paths.
 */
export async function startOsvStandIn(
  records: readonly OsvRecord[],
  options: OsvStandInOptions = {},
): Promise<OsvStandIn> {
  const pageSize = options.pageSize ?? 1000;
  let index = new AdvisoryIndex();
  let byId = new Map<string, OsvRecord>();
  const setRecords = (next: readonly OsvRecord[]) => {
    index = new AdvisoryIndex(next);
    // GET serves withdrawn records too, as OSV does; the index leaves them out of matching.
    byId = new Map();
    for (const record of next) {
      const existing = byId.get(record.id);
      if (!existing || existing.modified <= record.modified) byId.set(record.id, record);
    }
  };
  setRecords(records);

  const requests: OsvStandInRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failures: Failure[] = [];
  let delays: number[] = [];
  let hangs = 0;

  const querybatch = (body: unknown): { status: number; body: unknown } => {
    const queries = isObject(body) ? body['queries'] : undefined;
    if (!Array.isArray(queries)) return osvError(400, 'Invalid request: queries must be a list.');
    if (queries.length > MAX_QUERIES) return osvError(400, 'Too many queries.');
    const results: Record<string, unknown>[] = [];
    for (const query of queries) {
      const answer = answerQuery(query);
      if ('error' in answer) return osvError(400, answer.error);
      results.push(answer.result);
    }
    return { status: 200, body: { results } };
  };

  const answerQuery = (query: unknown): { result: Record<string, unknown> } | { error: string } => {
    const pkg = isObject(query) ? query['package'] : undefined;
    const ecosystem = isObject(pkg) ? pkg['ecosystem'] : undefined;
    const name = isObject(pkg) ? pkg['name'] : undefined;
    const version = isObject(query) ? query['version'] : undefined;
    // Commit and purl queries are not served here: they match nothing.
    if (typeof ecosystem !== 'string' || typeof name !== 'string' || !isEcosystem(ecosystem)) {
      return { result: {} };
    }
    const matched = matching(ecosystem, name, typeof version === 'string' ? version : undefined);
    const key = JSON.stringify([ecosystem, name, version ?? null]);
    let offset = 0;
    const rawToken = isObject(query) ? query['page_token'] : undefined;
    if (rawToken !== undefined) {
      const token = typeof rawToken === 'string' ? decodeToken(rawToken) : undefined;
      if (!token || token.key !== key) return { error: 'Invalid page token.' };
      offset = token.offset;
    }
    const page = matched.slice(offset, offset + pageSize);
    if (page.length === 0) return { result: {} };
    const result: Record<string, unknown> = { vulns: page.map(({ id, modified }) => ({ id, modified })) };
    if (offset + pageSize < matched.length) {
      result['next_page_token'] = encodeToken({ key, offset: offset + pageSize });
    }
    return { result };
  };

  const matching = (ecosystem: Ecosystem, name: string, version: string | undefined): OsvRecord[] => {
    // Without a version OSV lists every advisory about the package.
    const found =
      version === undefined
        ? index.recordsFor(ecosystem, name)
        : index.match(ecosystem, name, version).map((match) => match.record);
    return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  const route = (method: string, path: string, body: unknown): { status: number; body: unknown } => {
    if (path === '/v1/querybatch') {
      return method === 'POST' ? querybatch(body) : osvError(405, 'Method not allowed.');
    }
    const vuln = /^\/v1\/vulns\/([^/]+)$/.exec(path);
    if (vuln) {
      if (method !== 'GET') return osvError(405, 'Method not allowed.');
      const record = byId.get(decodeURIComponent(vuln[1]!));
      return record ? { status: 200, body: record } : osvError(404, 'Bug not found.');
    }
    return osvError(404, 'Not Found');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'finish' comes as soon as the answer is written, 'close' also when the client goes away.
    let done = false;
    const finished = () => {
      if (!done) inFlight -= 1;
      done = true;
    };
    res.once('finish', finished);
    res.once('close', finished);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const text = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        badJson = true;
      }
    }
    const queries = isObject(body) && Array.isArray(body['queries']) ? body['queries'].length : undefined;
    requests.push(queries === undefined ? { method, path } : { method, path, queries });

    if (hangs > 0) {
      hangs -= 1;
      return; // never answered; `close` destroys the socket
    }
    const delay = delays.shift();
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    if (res.destroyed) return; // the client gave up while we waited
    const failure = failures.shift();
    if (failure) {
      sendJson(res, failure.status, osvError(failure.status, 'Injected failure.').body, failure.headers);
      return;
    }
    const answer = badJson ? osvError(400, 'Invalid JSON.') : route(method, path, body);
    sendJson(res, answer.status, answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { code: 13, message: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers });
    },
    delayNext(count, ms) {
      for (let i = 0; i < count; i++) delays.push(ms);
    },
    hangNext() {
      hangs += 1;
    },
    setRecords,
    reset() {
      requests.length = 0;
      maxInFlight = inFlight;
      failures = [];
      delays = [];
      hangs = 0;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung and keep-alive connections would hold `close` open forever.
        server.closeAllConnections();
      });
    },
  };
}

/** OSV's error body: a gRPC status code and a message. */
function osvError(status: number, message: string): { status: number; body: unknown } {
  const code = status === 404 ? 5 : status === 429 ? 8 : status >= 500 ? 14 : 3;
  return { status, body: { code, message } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): PageToken | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (isObject(value) && typeof value['key'] === 'string' && Number.isInteger(value['offset'])) {
      return { key: value['key'], offset: value['offset'] as number };
    }
  } catch {
    // not a token of ours
  }
  return undefined;
}
