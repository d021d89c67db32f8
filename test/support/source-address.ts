// Requests from a chosen loopback address (all of 127/8 is local on Linux): tests of per-address
// limits need clients the server tells apart by their socket, as it would real ones.
import { randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { JsonResponse } from './http';

/** A loopback address of its own for one test, far from 127.0.0.1 that every other test uses. */
export function loopbackAddress(): string {
  return `127.${randomInt(16, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface RequestFromOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** One HTTP request over a fresh connection whose source address is `from`. */
export function requestFrom(
  from: string,
  url: string,
  options: RequestFromOptions = {},
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          connection: 'close',
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text so the assertion shows it
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve({ status: response.statusCode ?? 0, headers, body });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** `count` requests made by `send`, at most `concurrency` at a time, their answers in order. */
export async function inWaves<T>(
  count: number,
  concurrency: number,
  send: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const wave = Array.from({ length: Math.min(concurrency, count - start) }, (_, k) => send(start + k));
    results.push(...(await Promise.all(wave)));
  }
  return results;
}
