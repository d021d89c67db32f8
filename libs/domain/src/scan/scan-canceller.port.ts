/**
 * Stops a repository's scan workflow for good (disconnect, purge, org deletion) by cancelling it:
 * its failure record still runs, and the step in flight is told to stop writing. Cancelling one
 * that is not running is no error. Best effort by design: a scan it could not reach ends at its
 * next step anyway, since steps refuse to write for a repository that is gone (REPO_DISCONNECTED).
 */
export interface ScanCanceller {
  cancel(repoId: string, reason: string): Promise<void>;
}
