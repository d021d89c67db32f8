import { isObject } from '../shared/is-object';

/** The fields of a GitHub `push` payload that decide whether it asks for a scan. */
export interface PushEvent {
  readonly ref: string;
  readonly after: string;
  readonly deleted?: boolean;
  readonly repository: { readonly id: number; readonly full_name?: string };
}

export type PushDecision =
  | { readonly scan: true; readonly commitSha: string; readonly ref: string }
  | { readonly scan: false; readonly reason: string };

const ZERO_SHA = /^0+$/;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * A push asks for a scan when it moves a watched branch to a commit: the default branch unless the
 * repository names others. Tags, deletions and other branches are recorded and left alone.
 */
export function decidePush(push: PushEvent, watchedBranches: readonly string[]): PushDecision {
  if (!push.ref.startsWith('refs/heads/')) {
    return {
      scan: false,
      reason: push.ref.startsWith('refs/tags/') ? 'tag push' : `not a branch: ${push.ref}`,
    };
  }
  if (push.deleted === true || ZERO_SHA.test(push.after)) return { scan: false, reason: 'branch deleted' };
  const branch = push.ref.slice('refs/heads/'.length);
  if (!watchedBranches.includes(branch)) return { scan: false, reason: `branch ${branch} is not watched` };
  if (!SHA.test(push.after)) return { scan: false, reason: 'after is not a commit id' };
  return { scan: true, commitSha: push.after, ref: push.ref };
}

/** Reads the push fields by shape: a payload that lacks them is not a push we can act on. */
export function asPushEvent(payload: unknown): PushEvent | null {
  if (!isObject(payload)) return null;
  const repository = payload['repository'];
  if (typeof payload['ref'] !== 'string' || typeof payload['after'] !== 'string') return null;
  if (!isObject(repository) || typeof repository['id'] !== 'number') return null;
  return {
    ref: payload['ref'],
    after: payload['after'].toLowerCase(),
    ...(typeof payload['deleted'] === 'boolean' ? { deleted: payload['deleted'] } : {}),
    repository: {
      id: repository['id'],
      ...(typeof repository['full_name'] === 'string' ? { full_name: repository['full_name'] } : {}),
    },
  };
}
