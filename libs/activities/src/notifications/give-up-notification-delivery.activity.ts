import type { NotificationDeliveryAttempts } from '@repoguard/domain';

export interface GiveUpNotificationDeliveryDeps {
  readonly notificationAttempts: NotificationDeliveryAttempts;
  readonly now: () => Date;
}

/** Retries exhausted (or a final refusal): the row ends `failed` with the last error, unless it ended already. */
export function createGiveUpNotificationDeliveryActivity(deps: GiveUpNotificationDeliveryDeps) {
  return async function giveUpNotificationDelivery(input: {
    deliveryId: string;
    error: string;
  }): Promise<void> {
    await deps.notificationAttempts.giveUp(input.deliveryId, input.error, deps.now());
  };
}
