import type { RepoStatus } from '../repository/repo-status';
import type { Severity } from '../severity/severity.value-object';
import type { NotificationEvent } from './notification-event';

/**
 * One message to one channel: a group of events (one scan's, one digest's, a test) with what a
 * reader needs to act. Channels render it in their own format; none reads the database.
 */
export interface NotificationMessage {
  /** Stable per event group and channel: the Standard Webhooks `webhook-id`, the email's Message-ID. */
  readonly idempotency_key: string;
  readonly kind: 'immediate' | 'digest' | 'test';
  readonly org: { readonly id: string; readonly name: string };
  /** One line: "acme/api is now FAIL", "3 new vulnerabilities in acme/api", "Daily digest: ...". */
  readonly title: string;
  /** The highest severity among the events' findings, for colour and ordering; null when none. */
  readonly severity: Severity | null;
  /** The repository when every event is about one. */
  readonly repo: { readonly id: string; readonly name: string; readonly status?: RepoStatus } | null;
  /** Where a reader goes for the whole story (the API's repository or findings URL). */
  readonly link: string | null;
  /** In order; a renderer may cut the list (say "and 87 more") but must keep `events.length` right. */
  readonly events: readonly NotificationEvent[];
  /** The group's number of events when `events` holds only the first of them (a group over the cap). */
  readonly event_count?: number;
  /** For digests: the period covered. */
  readonly period?: { readonly from: Date; readonly to: Date };
  readonly created_at: Date;
}

/** How many events the message stands for: what "and N more" counts from. */
export function messageEventCount(message: Pick<NotificationMessage, 'events' | 'event_count'>): number {
  return Math.max(message.event_count ?? 0, message.events.length);
}
