/**
 * Notification workflows. Each delivery (one message to one channel) is a workflow of its own, so
 * a retry, a worker crash or a receiver that is down for hours never loses or doubles it.
 */
export const DELIVER_NOTIFICATION_WORKFLOW = 'deliverNotificationWorkflow';

/**
 * How long a delivery keeps trying: from `initialIntervalMs`, doubling up to `maximumIntervalMs`
 * (a receiver's Retry-After overrides the wait), until `giveUpAfterMs` after the first attempt.
 */
export interface DeliveryRetrySettings {
  readonly initialIntervalMs: number;
  readonly maximumIntervalMs: number;
  readonly giveUpAfterMs: number;
}

export const DEFAULT_DELIVERY_RETRY: DeliveryRetrySettings = {
  initialIntervalMs: 5_000,
  maximumIntervalMs: 10 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
};

export interface DeliverNotificationInput {
  /** The `notification_deliveries` row: it names the channel, the events and the idempotency key. */
  readonly deliveryId: string;
  /** Unset: DEFAULT_DELIVERY_RETRY (tests shorten it). */
  readonly retry?: Partial<DeliveryRetrySettings>;
}

/** How a delivery ended; the row says the same, with every attempt counted. */
export interface DeliverNotificationResult {
  readonly status: 'delivered' | 'failed' | 'skipped';
}

/** One workflow per delivery row: starting it twice finds the first (the id is the dedupe). */
export function deliverNotificationWorkflowId(deliveryId: string): string {
  return `notification-delivery:${deliveryId}`;
}

/** A digest rule's run (started by its Temporal Schedule `notification-digest:<rule id>`). */
export const SEND_DIGEST_WORKFLOW = 'sendDigestWorkflow';

export interface SendDigestInput {
  readonly ruleId: string;
}

export function digestScheduleId(ruleId: string): string {
  return `notification-digest:${ruleId}`;
}

/** An org's periodic rescan of its repositories' default branches (Schedule `org-rescan:<org id>`). */
export const RESCAN_ORG_WORKFLOW = 'rescanOrgWorkflow';

export interface RescanOrgInput {
  readonly orgId: string;
}

export function rescanScheduleId(orgId: string): string {
  return `org-rescan:${orgId}`;
}

/** The timer of one ignore's expiry: at `expiresAt` it reopens the finding and emits triage.expired. */
export const EXPIRE_TRIAGE_WORKFLOW = 'expireTriageWorkflow';

export interface ExpireTriageInput {
  readonly findingId: string;
  /** ISO 8601: the expiry this timer is for; a later decision with another expiry has its own timer. */
  readonly expiresAt: string;
}

export function expireTriageWorkflowId(findingId: string, expiresAt: Date): string {
  return `triage-expiry:${findingId}:${expiresAt.getTime()}`;
}
