// Records every answer an API process started by the e2e suite gives to this test file, whichever
// helper sent the request (request(), stack.call, a bare fetch): `fetch` itself is wrapped, once
// per test file (jest.e2e.config.js setupFiles). Answers from stand-ins (GitHub, OSV, git) are not
// recorded: only origins startApiProcess registered are.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { documentFile, RECORD_DIR_ENV, type RecordedResponse } from './recorded-response';

interface RecorderState {
  /** API origin → the id of the document it serves. */
  readonly origins: Map<string, string>;
  readonly send: typeof fetch;
}

// On the global object rather than in this module: the set-up file and the test's own imports
// must see one registry even if a test isolates its modules.
const KEY = Symbol.for('repoguard.apiResponseRecorder');
const holder = globalThis as typeof globalThis & { [KEY]?: RecorderState };

const recordDir = (): string | undefined => process.env[RECORD_DIR_ENV];

/** Wraps `fetch` for this test file; does nothing unless the e2e global set-up asked for records. */
export function installResponseRecorder(): void {
  const dir = recordDir();
  if (!dir || holder[KEY]) return;
  const state: RecorderState = { origins: new Map(), send: globalThis.fetch.bind(globalThis) };
  holder[KEY] = state;
  const file = path.join(dir, `responses-${process.env['JEST_WORKER_ID'] ?? '0'}-${process.pid}.jsonl`);

  globalThis.fetch = async (input, init) => {
    const response = await state.send(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const document = state.origins.get(url.origin);
    // The OpenAPI document covers /api, /health and /metrics; /docs is the document itself, and
    // every other path is the web dashboard's (apps/api/src/dashboard).
    if (document === undefined || !/^\/(?:api|health|metrics)(?:\/|$)/.test(url.pathname)) return response;
    // Read before handing the response back, so nothing is lost when the test ends right after.
    const text = await response
      .clone()
      .text()
      .catch(() => null);
    if (text === null) return response;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const contentType = response.headers.get('content-type');
    let body: unknown;
    if (contentType?.includes('json') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const record: RecordedResponse = {
      document,
      method,
      url: `${url.pathname}${url.search}`,
      status: response.status,
      contentType,
      ...(body === undefined ? {} : { body }),
      testFile: path.relative(process.cwd(), currentTestPath() ?? 'unknown'),
    };
    appendFileSync(file, `${JSON.stringify(record)}\n`);
    return response;
  };
}

/**
 * Called by startApiProcess once the API answers: from now on its answers are recorded, and the
 * document it serves is kept (once per distinct document) to check them against.
 */
export async function registerApiOrigin(apiUrl: string): Promise<void> {
  const dir = recordDir();
  const state = holder[KEY];
  if (!dir || !state) return;
  const response = await state.send(`${apiUrl}/docs/openapi.json`, { headers: { connection: 'close' } });
  if (!response.ok) throw new Error(`${apiUrl}/docs/openapi.json answered ${response.status}`);
  const text = await response.text();
  const document = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const target = path.join(dir, documentFile(document));
  if (!existsSync(target)) writeFileSync(target, text);
  state.origins.set(new URL(apiUrl).origin, document);
}

function currentTestPath(): string | undefined {
  const expectGlobal = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect;
  return expectGlobal?.getState?.().testPath;
}
