import { IntegrationUnavailableError, isObject } from '@repoguard/domain';
import { parseRetryAfter } from '../http/retry-after';

/** A failed GitHub request as Octokit reports it: its message, the socket's cause, GitHub's answer. */
export interface GithubRequestFailure {
  readonly message: string;
  readonly cause?: string;
  readonly response?: { status: number; headers: Record<string, string | undefined>; data?: unknown };
}

/** Octokit's RequestError, read by shape: Jest's sandbox may load another copy of its class. */
export function describeGithubFailure(error: unknown): GithubRequestFailure {
  if (!isObject(error)) return { message: String(error) };
  const message = typeof error['message'] === 'string' ? error['message'] : String(error);
  // Octokit -> fetch's TypeError('fetch failed') -> the socket error that says what happened.
  let cause: string | undefined;
  for (let inner = error['cause'], depth = 0; isObject(inner) && depth < 5; inner = inner['cause'], depth++) {
    if (typeof inner['message'] === 'string' && inner['message'] !== '') cause = inner['message'];
  }
  const response = error['response'];
  const status = error['status'];
  if (!isObject(response) || typeof status !== 'number')
    return cause === undefined ? { message } : { message, cause };
  const headers: Record<string, string | undefined> = {};
  if (isObject(response['headers'])) {
    for (const [name, value] of Object.entries(response['headers'])) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
    }
  }
  return { message, response: { status, headers, data: response['data'] } };
}

/**
 * The failures a retry may fix, as IntegrationUnavailableError: no answer (refused, reset, DNS,
 * timeout), a rate limit (429, or 403 with the limit spent; the wait GitHub asked for kept), a 5xx.
 * Undefined for GitHub's other answers, which the caller judges.
 */
export function transientGithubFailure(
  failure: GithubRequestFailure,
  what: string,
): IntegrationUnavailableError | undefined {
  if (!failure.response) {
    // Octokit wraps a rejected fetch (refused, reset, DNS) as a status-500 error without response.
    const detail = failure.cause ?? failure.message;
    return new IntegrationUnavailableError(
      'github',
      'network',
      `Could not reach GitHub for ${what}: ${detail}`,
    );
  }
  const { status, headers } = failure.response;
  const limited = headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined;
  if (status === 429 || (status === 403 && limited)) {
    return new IntegrationUnavailableError(
      'github',
      '429',
      `GitHub rate-limited ${what}`,
      githubRetryAfterMs(headers),
    );
  }
  if (status >= 500) {
    return new IntegrationUnavailableError('github', '5xx', `GitHub answered ${what} with ${status}`);
  }
  return undefined;
}

/** `retry-after` (secondary limits and 429) first, else the primary limit's reset time. */
export function githubRetryAfterMs(headers: Record<string, string | undefined>): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after']);
  if (retryAfter !== undefined) return retryAfter;
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - Date.now());
  return undefined;
}
