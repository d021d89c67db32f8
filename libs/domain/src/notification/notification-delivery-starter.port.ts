/** Starts one delivery's workflow; starting it again is a no-op. Throws when the engine is out of reach. */
export interface NotificationDeliveryStarter {
  start(deliveryId: string): Promise<void>;
}
