import { messageEventCount, type NotificationMessage } from '@repoguard/domain';

export const WEBHOOK_EVENT_TYPE = 'repoguard.notification';
/** Events a webhook body carries in full; `event_count` says how many the group had (a body stays well under 1 MB). */
export const WEBHOOK_MAX_EVENTS = 200;

/**
 * The generic webhook's body per the Standard Webhooks specification: `{type, timestamp, data}`,
 * data being the message with its first WEBHOOK_MAX_EVENTS events as JSON (dates as ISO 8601) and
 * `event_count`, the number of events it stands for (a scan or digest can have thousands). The `webhook-id` header is
 * the message's idempotency key, so a receiver drops a retry it already handled.
 */
export function renderWebhookPayload(message: NotificationMessage): { id: string; body: string } {
  const data = {
    idempotency_key: message.idempotency_key,
    kind: message.kind,
    org: message.org,
    title: message.title,
    severity: message.severity,
    repo: message.repo,
    link: message.link,
    ...(message.period
      ? { period: { from: message.period.from.toISOString(), to: message.period.to.toISOString() } }
      : {}),
    created_at: message.created_at.toISOString(),
    event_count: messageEventCount(message),
    events: message.events
      .slice(0, WEBHOOK_MAX_EVENTS)
      .map((event) => ({ ...event, occurred_at: event.occurred_at.toISOString() })),
  };
  return {
    id: message.idempotency_key,
    body: JSON.stringify({ type: WEBHOOK_EVENT_TYPE, timestamp: message.created_at.toISOString(), data }),
  };
}
