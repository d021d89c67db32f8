import { isObject } from '../shared/is-object';
import { PULL_REQUEST_CHECK_ACTIONS, type PullRequestCheckAction } from './pull-request-check';

/** The fields of a GitHub `pull_request` payload a check needs, read by shape. */
export interface PullRequestEvent {
  readonly action: string;
  readonly number: number;
  readonly draft: boolean;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string | null;
  /** The base repository's immutable id: a fork's head is checked in the base repository. */
  readonly repository: { readonly id: number };
}

/** The fields of a `check_run` or `check_suite` payload a rerequest needs. */
export interface CheckRerequestEvent {
  readonly action: string;
  readonly headSha: string;
  /** The check run GitHub names (check_run events; null for a check suite). */
  readonly checkRunId: string | null;
  /** Our check id, as we gave it to GitHub (check_run events). */
  readonly externalId: string | null;
  /** Pull requests of the same repository that GitHub lists for the head. */
  readonly pullRequests: readonly {
    readonly number: number;
    readonly baseRef: string;
    readonly baseSha: string | null;
  }[];
  readonly repository: { readonly id: number };
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
// GitHub's branch names: no control characters, bounded; anything else is not a ref we check out.
const isRef = (ref: string) =>
  ref.length > 0 &&
  ref.length <= 255 &&
  [...ref].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
const isPositiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
// GitHub's pull request numbers are 32-bit, as the check rows store them.
const isPrNumber = (n: unknown): n is number => isPositiveInt(n) && n <= 2_147_483_647;
const sha = (value: unknown): string | null =>
  typeof value === 'string' && SHA.test(value.toLowerCase()) ? value.toLowerCase() : null;

export const isPullRequestCheckAction = (action: string): action is PullRequestCheckAction =>
  (PULL_REQUEST_CHECK_ACTIONS as readonly string[]).includes(action);

/** Null when a field a check needs is missing or ill-typed: the delivery is malformed. */
export function asPullRequestEvent(payload: unknown): PullRequestEvent | null {
  if (!isObject(payload) || typeof payload['action'] !== 'string') return null;
  const pr = payload['pull_request'];
  const repository = payload['repository'];
  if (!isObject(pr) || !isObject(repository) || !isPositiveInt(repository['id'])) return null;
  const number = payload['number'] ?? pr['number'];
  const head = pr['head'];
  const base = pr['base'];
  if (!isPrNumber(number) || !isObject(head) || !isObject(base)) return null;
  const headSha = sha(head['sha']);
  const baseRef = base['ref'];
  if (!headSha || typeof baseRef !== 'string' || !isRef(baseRef)) return null;
  const draft = pr['draft'];
  if (draft !== undefined && typeof draft !== 'boolean') return null;
  return {
    action: payload['action'],
    number,
    draft: draft === true,
    headSha,
    baseRef,
    baseSha: sha(base['sha']),
    repository: { id: repository['id'] },
  };
}

/** A `check_run` or `check_suite` delivery (`event` names which), read by shape. */
export function asCheckRerequestEvent(
  event: 'check_run' | 'check_suite',
  payload: unknown,
): CheckRerequestEvent | null {
  if (!isObject(payload) || typeof payload['action'] !== 'string') return null;
  const subject = payload[event];
  const repository = payload['repository'];
  if (!isObject(subject) || !isObject(repository) || !isPositiveInt(repository['id'])) return null;
  const headSha = sha(subject['head_sha']);
  if (!headSha) return null;
  const id = subject['id'];
  const externalId = subject['external_id'];
  const listed = subject['pull_requests'];
  if (listed !== undefined && !Array.isArray(listed)) return null;
  const pullRequests = [];
  for (const pr of listed ?? []) {
    if (!isObject(pr) || !isPrNumber(pr['number'])) return null;
    const base = pr['base'];
    const baseRef = isObject(base) ? base['ref'] : undefined;
    if (typeof baseRef !== 'string' || !isRef(baseRef)) return null;
    pullRequests.push({ number: pr['number'], baseRef, baseSha: isObject(base) ? sha(base['sha']) : null });
  }
  return {
    action: payload['action'],
    headSha,
    checkRunId: event === 'check_run' && isPositiveInt(id) ? String(id) : null,
    externalId: typeof externalId === 'string' && externalId.length <= 100 ? externalId : null,
    pullRequests,
    repository: { id: repository['id'] },
  };
}
