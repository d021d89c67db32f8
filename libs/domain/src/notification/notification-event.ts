import type { PolicyReason } from '../policy/evaluate-policy';
import type { RepoStatus } from '../repository/repo-status';
import type { Severity } from '../severity/severity.value-object';

/** What RepoGuard tells people about; a rule subscribes to some of these. */
export const NOTIFICATION_EVENT_TYPES = [
  'repo.status_changed',
  'finding.new',
  'finding.changed',
  'finding.resolved',
  'scan.failed',
  'triage.expired',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

export function isNotificationEventType(value: unknown): value is NotificationEventType {
  return typeof value === 'string' && (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(value);
}

/** The finding an event is about, as it stood when the event was recorded (after the change). */
export interface NotifiedFinding {
  readonly finding_id: string;
  readonly vulnerability_id: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly ecosystem: string;
  readonly package_name: string;
  readonly version: string;
  readonly manifest_path: string;
  readonly fixed_versions: readonly string[];
  /** The advisory's one-line summary, when the finding's record has one. */
  readonly summary?: string | null;
}

export interface Change<T> {
  readonly from: T;
  readonly to: T;
}

/** The payload of each event type: plain JSON, stored as it is sent (snake_case, like the API). */
export interface NotificationPayloads {
  readonly 'repo.status_changed': {
    readonly old_status: RepoStatus | null;
    readonly new_status: RepoStatus;
    readonly reasons: readonly PolicyReason[];
    /** What made the status change: a scan's verdict, a triage decision, a policy change, an ignore that lapsed. */
    readonly cause: 'scan' | 'triage' | 'policy' | 'triage_expiry';
  };
  readonly 'finding.new': { readonly finding: NotifiedFinding };
  /** Only what changed is present; at least one key. A withdrawal is `finding.resolved`, not a change. */
  readonly 'finding.changed': {
    readonly finding: NotifiedFinding;
    readonly changes: {
      readonly severity?: Change<Severity>;
      readonly fixed_versions?: Change<readonly string[]>;
      readonly summary?: Change<string | null>;
    };
  };
  readonly 'finding.resolved': {
    readonly finding: NotifiedFinding;
    readonly reason: 'dependency_changed' | 'advisory_withdrawn';
  };
  readonly 'scan.failed': {
    readonly scan_id: string;
    readonly code: string;
    readonly message: string;
  };
  readonly 'triage.expired': {
    readonly finding: NotifiedFinding;
    /** The ignore's reason and who decided it. */
    readonly reason: string | null;
    readonly decided_by: string | null;
    readonly expired_at: string;
  };
}

/**
 * One thing that happened, recorded in the same transaction as the change itself
 * (`notification_events`). Events with one `group_key` (a scan's id, one API change) are sent
 * together: one message per channel, however many findings a scan opened.
 */
export type NotificationEvent = {
  [K in NotificationEventType]: {
    readonly id: string;
    readonly org_id: string;
    readonly repo_id: string | null;
    /** owner/name (or the git URL's name) at the time, for messages. */
    readonly repo_name: string | null;
    readonly type: K;
    /** The finding's severity for finding.* and triage.expired; null otherwise. */
    readonly severity: Severity | null;
    readonly group_key: string;
    readonly scan_id: string | null;
    readonly occurred_at: Date;
    readonly payload: NotificationPayloads[K];
  };
}[NotificationEventType];

/** What a writer gives to record an event; id and occurred_at come from the store. */
export type NewNotificationEvent = {
  [K in NotificationEventType]: Omit<Extract<NotificationEvent, { type: K }>, 'id' | 'occurred_at'>;
}[NotificationEventType];
