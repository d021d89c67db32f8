import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { DomainError, type OsvRecord } from '@repoguard/domain';
import {
  DEFAULT_OSV_EXPORT_LIMITS,
  exportTooLarge,
  sourceNotAllowed,
  type OsvExportLimits,
} from './osv-export-limits';
import {
  collectOsvExport,
  isZipName,
  readRecordsWithin,
  streamOsvExportWithin,
  type OsvExportProblem,
  type OsvExportReadResult,
  type OsvExportStream,
  type UnchangedEntries,
} from './osv-export-reader';

export interface OsvExportSourceOptions {
  /** Paths are relative to it; default the process's. */
  readonly cwd?: string;
  /** The whole download, redirects included. Default 5 minutes. */
  readonly timeoutMs?: number;
  readonly limits?: OsvExportLimits;
  /** Which zip entries to leave unread as held already (see UnchangedEntries); none by default. */
  readonly unchangedEntries?: UnchangedEntries;
}

const URL_SOURCE = /^[A-Z][A-Z0-9+.-]*:\/\//i;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * Reads an OSV export from where an operator points: a path (relative to `cwd`) or an https URL
 * such as OSV's bucket, `https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip`
 * (http:// only when the limits allow it, redirects held to the same rule). A download goes to a
 * temporary file, counted as it streams; the export is then read within the limits, one record at a
 * time. Nothing happens until the records are iterated; the temporary file is removed once they
 * are read to the end, or iteration stops early (a `for await` left, `return()` called). Iteration
 * throws with a message that names what failed (missing file, HTTP status, unreadable zip, the cap
 * passed).
 */
export function streamOsvExportFrom(source: string, options: OsvExportSourceOptions = {}): OsvExportStream {
  const limits = options.limits ?? DEFAULT_OSV_EXPORT_LIMITS;
  if (!URL_SOURCE.test(source))
    return streamOsvExportWithin(
      path.resolve(options.cwd ?? process.cwd(), source),
      limits,
      undefined,
      options.unchangedEntries,
    );
  const problems: OsvExportProblem[] = [];
  const unread = { count: 0 };
  async function* records(): AsyncGenerator<OsvRecord> {
    const url = new URL(source);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'repoguard-osv-export-'));
    try {
      const file = path.join(dir, isZipName(url.pathname) ? 'export.zip' : 'export.json');
      await download(url, file, limits, options.timeoutMs ?? 300_000);
      yield* readRecordsWithin(file, limits, url.pathname, problems, options.unchangedEntries, unread);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { problems, unread, records: records() };
}

/** The same, the whole export in memory, for callers that need an array (tests, tools). */
export async function readOsvExportFrom(
  source: string,
  options: OsvExportSourceOptions = {},
): Promise<OsvExportReadResult> {
  return collectOsvExport(streamOsvExportFrom(source, options));
}

async function download(start: URL, file: string, limits: OsvExportLimits, timeoutMs: number): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  let url = start;
  for (let redirects = 0; ; redirects++) {
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && limits.allowHttp))) {
      throw sourceNotAllowed(url, limits, redirects === 0 ? '' : `redirected to ${shown(url)}: `);
    }
    // Redirects are followed here, not by fetch, so each hop is held to the rule above.
    const response = await failing(() => fetch(url, { redirect: 'manual', signal }));
    if (REDIRECT_STATUSES.has(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw new Error(`download failed: HTTP ${response.status} without a Location`);
      if (redirects === MAX_REDIRECTS)
        throw new Error(`download failed: more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Error(`download failed: HTTP ${response.status}`);
    }
    const announced = Number(response.headers.get('content-length'));
    if (announced > limits.maxDownloadBytes) {
      await response.body.cancel();
      throw exportTooLarge(limits, 'maxDownloadBytes', 'the download announces');
    }
    let received = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > limits.maxDownloadBytes)
          done(exportTooLarge(limits, 'maxDownloadBytes', 'the download holds'));
        else done(null, chunk);
      },
    });
    await failing(() =>
      pipeline(
        Readable.fromWeb(response.body as ReadableStream<Uint8Array>),
        counted,
        createWriteStream(file),
      ),
    );
    return;
  }
}

/** Network failures say what went wrong underneath; a cap passed is rethrown as it is. */
async function failing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(`download failed: ${cause ?? (error as Error).message}`);
  }
}

/** Where a redirect led, without credentials or query. */
function shown(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
