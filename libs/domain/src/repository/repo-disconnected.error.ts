import { GoneError } from '../errors/domain.error';

/** The code scan steps fail with once their repository is gone; the workflow ends on it (contract). */
export const REPO_DISCONNECTED = 'REPO_DISCONNECTED';

/** A write for a repository that was disconnected or purged (or whose org was deleted) meanwhile. */
export const repoDisconnected = (repoId: string): GoneError =>
  new GoneError(REPO_DISCONNECTED, `Repository ${repoId} is no longer connected: nothing is written for it`);
