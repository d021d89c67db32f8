/**
 * Which scan requests a scan has served: a scan of the request's repository that began after the
 * request and has ended (whether the request got a scan of its own or joined another). An advisory
 * sync reads it to keep only a few of its re-match requests open at a time.
 */
export interface ServedScanRequests {
  /** Those of `requestIds` (outbox ids) served so far; unknown ids are not. */
  served(requestIds: readonly string[]): Promise<ReadonlySet<string>>;
}
