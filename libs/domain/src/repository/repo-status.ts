import type { PolicyStatus } from '../policy/evaluate-policy';

/** PENDING until the first scan finishes; ERROR when the newest scan failed before a verdict. */
export type RepoStatus = 'PENDING' | PolicyStatus | 'ERROR';

/**
 * The repository's status after a scan. A failed scan does not hide an earlier verdict: the repo
 * keeps its last policy status unless it never had one.
 */
export function repoStatusAfterScan(
  previous: RepoStatus,
  outcome: { policyStatus: PolicyStatus } | { failed: true },
): RepoStatus {
  if ('policyStatus' in outcome) return outcome.policyStatus;
  return previous === 'PENDING' ? 'ERROR' : previous;
}
