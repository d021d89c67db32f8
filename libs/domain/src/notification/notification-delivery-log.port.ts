import type { NotificationDeliveryRecord, NotificationDeliveryStatus } from './notification-delivery';

export interface NotificationDeliveryFilter {
  readonly orgId: string;
  readonly status?: NotificationDeliveryStatus;
  readonly channelId?: string;
  readonly ruleId?: string;
  readonly offset: number;
  readonly limit: number;
}

/** An org's delivery log as the API reads it, newest first. */
export interface NotificationDeliveryLog {
  list(filter: NotificationDeliveryFilter): Promise<{ items: NotificationDeliveryRecord[]; total: number }>;
  get(orgId: string, deliveryId: string): Promise<NotificationDeliveryRecord | null>;
}
