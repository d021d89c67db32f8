import type { IntegrationFailureReason, IntegrationMetrics, IntegrationName } from './integration-metrics';

export interface InstrumentFetchOptions {
  /**
   * Statuses that are answers, not failures. Default 404: "no such vulnerability / repository"
   * is what the caller asked to know, and counting it would page someone for a typo.
   */
  readonly answers?: readonly number[];
}

/**
 * GitHub statuses its adapter turns into "not found" results: 404, 409 (an empty repository has
 * no commits) and 422 (a ref that names no commit).
 */
export const GITHUB_ANSWER_STATUSES: readonly number[] = [404, 409, 422];

/**
 * A `fetch` that counts every request it sends, times it until the status line arrives and
 * classifies failures. It sits under the adapters (Octokit's `request.fetch`, the OSV client), so
 * each HTTP attempt is counted once whatever the adapter does with the outcome.
 */
export function instrumentFetch(
  integration: IntegrationName,
  metrics: IntegrationMetrics,
  fetchImpl: typeof fetch = globalThis.fetch,
  options: InstrumentFetchOptions = {},
): typeof fetch {
  const answers = new Set(options.answers ?? [404]);
  const instrumented = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const started = performance.now();
    try {
      const response = await fetchImpl(input, init);
      metrics.record(
        integration,
        elapsed(started),
        responseFailure(response.status, response.headers, answers),
      );
      return response;
    } catch (error) {
      const failure = errorFailure(error);
      metrics.record(integration, failure === null ? null : elapsed(started), failure);
      throw error;
    }
  };
  return instrumented as typeof fetch;
}

/** What a status means for the integration's health; null when it is an answer. */
export function responseFailure(
  status: number,
  headers: Headers,
  answers: ReadonlySet<number> = new Set([404]),
): IntegrationFailureReason | null {
  if (status < 400 || answers.has(status)) return null;
  if (status === 429) return '429';
  // GitHub answers 403 for its primary (remaining 0) and secondary (retry-after) rate limits.
  if (status === 403 && (headers.get('x-ratelimit-remaining') === '0' || headers.has('retry-after'))) {
    return '429';
  }
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return '5xx';
  return '4xx';
}

/** A rejected fetch; null when we aborted it ourselves (the rest of a batch that already failed). */
export function errorFailure(error: unknown): IntegrationFailureReason | null {
  // By name, not instanceof: the DOMException may come from another realm (Jest's sandbox).
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  // AbortSignal.timeout rejects with a DOMException named TimeoutError.
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError') return null;
  // undici's TypeError('fetch failed') covers refused connections, resets and DNS errors.
  return 'network';
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
