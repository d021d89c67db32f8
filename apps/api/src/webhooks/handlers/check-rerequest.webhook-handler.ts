import { Injectable } from '@nestjs/common';
import { RerequestPullRequestCheck } from '@repoguard/application';
import { asCheckRerequestEvent, type Stores } from '@repoguard/domain';
import {
  accepted,
  malformedPayload,
  type WebhookDelivery,
  type WebhookEffect,
  type WebhookHandler,
} from './webhook-handler';

/** A rerequest of RepoGuard's check queues it again; other actions are recorded and left alone. */
async function rerequested(
  kind: 'check_run' | 'check_suite',
  rerequest: RerequestPullRequestCheck,
  stores: Stores,
  { deliveryId, caller, payload, action }: WebhookDelivery,
): Promise<WebhookEffect> {
  if (action !== 'rerequested')
    return accepted({
      handled: false,
      outcome: `${kind} ${action ?? 'without action'} is not acted on`,
      scans: [],
    });
  const event = asCheckRerequestEvent(kind, payload);
  if (!event) throw malformedPayload(`A ${kind} needs ${kind}.head_sha and repository.id`);
  const outcome = await rerequest.executeIn(stores, { caller, deliveryId, event });
  return accepted(outcome, { githubRepoId: String(event.repository.id), headCommit: event.headSha });
}

/**
 * `check_run`: "Re-run" of RepoGuard's check run. (The "Accept risk" requested_action is the same
 * event: its handler dispatches here for `rerequested`.)
 */
@Injectable()
export class CheckRunWebhookHandler implements WebhookHandler {
  readonly event = 'check_run';
  // Only the App creates check runs: an org's own webhook URL has none of RepoGuard's.
  readonly appOnly = true;
  constructor(private readonly rerequest: RerequestPullRequestCheck) {}
  handle(stores: Stores, delivery: WebhookDelivery): Promise<WebhookEffect> {
    return rerequested('check_run', this.rerequest, stores, delivery);
  }
}

/** `check_suite`: "Re-run all checks" on a head RepoGuard checked. */
@Injectable()
export class CheckSuiteWebhookHandler implements WebhookHandler {
  readonly event = 'check_suite';
  // Only the App creates check runs: an org's own webhook URL has none of RepoGuard's.
  readonly appOnly = true;
  constructor(private readonly rerequest: RerequestPullRequestCheck) {}
  handle(stores: Stores, delivery: WebhookDelivery): Promise<WebhookEffect> {
    return rerequested('check_suite', this.rerequest, stores, delivery);
  }
}
