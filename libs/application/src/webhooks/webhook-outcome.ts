import type { DeliveryScan } from '@repoguard/domain';

/** What a delivery did, as its record and GitHub's answer show it. */
export interface WebhookOutcome {
  /** Whether the delivery had an effect, and why not when it had none. */
  readonly handled: boolean;
  readonly outcome: string;
  readonly scans: readonly DeliveryScan[];
}

export const ignoredDelivery = (outcome: string): WebhookOutcome => ({ handled: false, outcome, scans: [] });

export const handledDelivery = (outcome: string, scans: readonly DeliveryScan[] = []): WebhookOutcome => ({
  handled: true,
  outcome,
  scans,
});
