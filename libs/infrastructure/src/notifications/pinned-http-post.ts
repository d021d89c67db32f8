import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedHost, SendOutcome } from '@repoguard/domain';
import { parseRetryAfter } from '../http/retry-after';

/** Statuses worth another attempt: the receiver is busy, limiting us or briefly down. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
/** Enough of an error answer to say what went wrong; the rest is not read. */
const MAX_ERROR_BODY_BYTES = 4096;
const SHOWN_ERROR_CHARS = 300;

export interface PinnedPost {
  readonly url: URL;
  /** What the outbound policy judged: the connection goes there and nowhere else. */
  readonly pin: PinnedHost;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
}

/**
 * POSTs `body` to the pinned address (no second DNS lookup, so a name cannot be rebound to an
 * internal address after it was judged), follows no redirect, reads no body of a 2xx and at most
 * a few KB of any other answer, and never throws: every answer and failure becomes an outcome. Messages name the host
 * only: a webhook URL's path and query are its credential.
 */
export function pinnedPost(request: PinnedPost): Promise<SendOutcome> {
  const { url, pin, body, headers, timeoutMs } = request;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address when it may try several (autoSelectFamily): there is one.
    if (options.all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: pin.address, family: pin.family },
      ]);
    else callback(null, pin.address, pin.family);
  };
  const secret = `${url.pathname}${url.search}`;
  const redact = (text: string) => (secret.length > 1 ? text.split(secret).join('/…') : text);
  const module = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = module.request(
      url,
      {
        method: 'POST',
        lookup,
        // An IP literal has no name to present; a name is presented as the URL wrote it (SNI).
        ...(url.protocol === 'https:' && !/^[\d.]+$|:/.test(pin.host) ? { servername: pin.host } : {}),
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'RepoGuard-Notifications/1',
          ...headers,
        },
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          res.destroy();
          const text = redact(Buffer.concat(chunks).toString('utf8').slice(0, SHOWN_ERROR_CHARS).trim());
          finish(outcomeOf(status, res.headers, text, pin.host));
        };
        if (status >= 200 && status < 300) {
          // Accepted: the body says nothing more, and a slow one must not turn a delivered
          // message into a timeout that sends it again.
          finish({ delivered: true, status_code: status });
          res.destroy();
          return;
        }
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_ERROR_BODY_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({
        delivered: false,
        retryable: true,
        status_code: null,
        error: `${pin.host} did not answer within ${timeoutMs} ms`,
      });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        delivered: false,
        retryable: true,
        status_code: null,
        error: `${pin.host}: connection failed (${error.code ?? 'network error'})`,
      });
    });
    req.end(body);
  });
}

export function outcomeOf(
  status: number,
  headers: http.IncomingHttpHeaders,
  text: string,
  host: string,
): SendOutcome {
  if (status >= 200 && status < 300) return { delivered: true, status_code: status };
  if (status >= 300 && status < 400) {
    return {
      delivered: false,
      retryable: false,
      status_code: status,
      error: `${host} answered ${status}, a redirect: redirects are not followed (check the URL)`,
    };
  }
  const retryAfter = parseRetryAfter(
    Array.isArray(headers['retry-after']) ? headers['retry-after'][0] : headers['retry-after'],
  );
  return {
    delivered: false,
    retryable: RETRYABLE_STATUSES.has(status),
    status_code: status,
    error: `${host} answered ${status}${text ? `: ${text}` : ''}`,
    ...(retryAfter !== undefined ? { retry_after_ms: retryAfter } : {}),
  };
}
