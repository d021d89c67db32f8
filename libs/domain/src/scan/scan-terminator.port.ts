/**
 * Stops a repository's scan workflow for good (disconnect, purge, org deletion). Stopping one that
 * is not running is no error. Best effort by design: a scan it could not reach ends at its next
 * step anyway, since steps refuse to write for a repository that is gone (REPO_DISCONNECTED).
 */
export interface ScanTerminator {
  terminate(repoId: string, reason: string): Promise<void>;
}
