// Scan requests as the webhooks, the outbox relay and the advisory sync send them, for workflow
// tests and history scenarios; each caller adds what its requests carry beyond these.
import type { ScanRequest } from '../../libs/contract/src/repo-scan.contract';

/** A push to main of `commitSha`, its request id the commit. */
export const pushOf = (commitSha: string, extra: Partial<ScanRequest> = {}): ScanRequest => ({
  trigger: 'push',
  commitSha,
  ref: 'refs/heads/main',
  requestedBy: `github:${commitSha}`,
  requestId: commitSha,
  ...extra,
});

/** The n-th push as the outbox relays it: request id, delivery id and the order it was committed in. */
export const sequencedPush = (n: number, extra: Partial<ScanRequest> = {}): ScanRequest => ({
  trigger: 'push',
  commitSha: `c${n}`,
  ref: 'refs/heads/main',
  requestedBy: 'github:push',
  requestId: `request-${n}`,
  deliveryId: `delivery-${n}`,
  sequence: n,
  ...extra,
});

/** A re-match of a stored snapshot on `taskQueue`, as the advisory sync asks for it. */
export const rematchOf = (
  snapshotId: string,
  taskQueue: string,
  extra: Partial<ScanRequest> = {},
): ScanRequest => ({
  trigger: 'advisory',
  requestedBy: 'system:advisories',
  snapshotId,
  taskQueue,
  ...extra,
});
