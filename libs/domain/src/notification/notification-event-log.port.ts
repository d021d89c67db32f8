import type { NewNotificationEvent } from './notification-event';

/**
 * Where events are recorded: in the unit of work's own transaction, so an event commits with the
 * change it tells of, or not at all (the dispatcher sends what has committed).
 */
export interface NotificationEventLog {
  record(events: readonly NewNotificationEvent[]): Promise<void>;
}
