/**
 * The timer of one ignore's expiry: at `expiresAt` it reopens the finding and re-judges its
 * repository. Starting it twice for the same finding and expiry starts one timer. Throws when the
 * engine cannot be reached; the repository-status sweep is the backstop then.
 */
export interface TriageExpiryTimer {
  start(findingId: string, expiresAt: Date): Promise<void>;
  /**
   * Stops the timer of an expiry a later decision replaced (one that never started or already
   * ended is no error). Only tidiness: a superseded timer finds nothing to do when it fires.
   */
  cancel(findingId: string, expiresAt: Date): Promise<void>;
}
