import { isObject } from '../shared/is-object';

/** What a GitHub `repository` event changes about a connected repository. */
export interface RepositoryChange {
  readonly githubId: number;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string | null;
  /** A reason to stop scanning it, null to scan it again, undefined to leave that as it is. */
  readonly disable?: string | null;
}

const DISABLING: Record<string, string> = {
  archived: 'archived on GitHub',
  deleted: 'deleted on GitHub',
};
const ENABLING = new Set(['unarchived']);

/**
 * Reads a `repository` event by shape. The repository object always carries its current owner,
 * name and default branch, so renames, transfers and default-branch edits all come down to taking
 * them; archiving and deletion stop scans, unarchiving resumes them.
 */
export function repositoryChangeOf(payload: unknown): RepositoryChange | null {
  if (!isObject(payload)) return null;
  const repo = payload['repository'];
  const owner = isObject(repo) && isObject(repo['owner']) ? repo['owner']['login'] : undefined;
  if (
    !isObject(repo) ||
    typeof repo['id'] !== 'number' ||
    typeof repo['name'] !== 'string' ||
    typeof owner !== 'string'
  ) {
    return null;
  }
  const action = typeof payload['action'] === 'string' ? payload['action'] : '';
  return {
    githubId: repo['id'],
    owner,
    name: repo['name'],
    defaultBranch: typeof repo['default_branch'] === 'string' ? repo['default_branch'] : null,
    ...(action in DISABLING
      ? { disable: DISABLING[action]! }
      : ENABLING.has(action)
        ? { disable: null }
        : {}),
  };
}
