import type { DeliveryScan } from '@repoguard/domain';
import type { DeliveryCheck } from '../pull-requests/queue-pull-request-check';

/** What a delivery did, as its record and GitHub's answer show it. */
export interface WebhookOutcome {
  /** Whether the delivery had an effect, and why not when it had none. */
  readonly handled: boolean;
  readonly outcome: string;
  readonly scans: readonly DeliveryScan[];
  /** Pull-request checks the delivery asked for (committed with it, relayed after the commit). */
  readonly checks?: readonly DeliveryCheck[];
}

export const ignoredDelivery = (outcome: string): WebhookOutcome => ({ handled: false, outcome, scans: [] });

export const handledDelivery = (outcome: string, scans: readonly DeliveryScan[] = []): WebhookOutcome => ({
  handled: true,
  outcome,
  scans,
});
