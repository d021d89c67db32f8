import type { Caller, WebhookOutcome } from '@repoguard/application';
import { ValidationError, type Stores } from '@repoguard/domain';

/** One delivery, verified and claimed, as a handler sees it. */
export interface WebhookDelivery {
  readonly deliveryId: string;
  readonly event: string;
  readonly action: string | null;
  /** The webhook, correlated by the delivery id: the system's scope, or the one org whose URL it came to. */
  readonly caller: Caller;
  readonly payload: object;
}

/** What the delivery did, and what its record shows beside that. */
export interface WebhookEffect extends WebhookOutcome {
  readonly statusCode: number;
  readonly githubRepoId?: string | null;
  readonly ref?: string | null;
  readonly headCommit?: string | null;
}

/** Translates one event's payload into a command for its use case, in the delivery's unit of work. */
export interface WebhookHandler {
  readonly event: string;
  /** Set: this handler takes only the deliveries of the event with this `action`. */
  readonly action?: string;
  /** Refused on an org's own URL: only the GitHub App may send it (installation events). */
  readonly appOnly?: boolean;
  handle(stores: Stores, delivery: WebhookDelivery): Promise<WebhookEffect>;
}

/** A payload without what its event needs: answered 400, and the delivery still recorded. */
export const malformedPayload = (message: string) => new ValidationError(message, [], 'MALFORMED_JSON');

/** A 202 for what the delivery asked that is not acted on. */
export const accepted = (outcome: WebhookOutcome, extra: Partial<WebhookEffect> = {}): WebhookEffect => ({
  ...outcome,
  statusCode: 202,
  ...extra,
});
