import { Injectable, Logger } from '@nestjs/common';
import { RequestPullRequestCheck } from '@repoguard/application';
import { asPullRequestEvent, type Stores } from '@repoguard/domain';
import { accepted, malformedPayload, type WebhookDelivery, type WebhookHandler } from './webhook-handler';

@Injectable()
export class PullRequestWebhookHandler implements WebhookHandler {
  readonly event = 'pull_request';
  private readonly logger = new Logger('GithubWebhooks');

  constructor(private readonly requestPullRequestCheck: RequestPullRequestCheck) {}

  async handle(stores: Stores, { deliveryId, caller, payload }: WebhookDelivery) {
    const event = asPullRequestEvent(payload);
    if (!event)
      throw malformedPayload(
        'A pull_request needs action, number, pull_request.head.sha, pull_request.base.ref and repository.id',
      );
    const outcome = await this.requestPullRequestCheck.executeIn(stores, { caller, deliveryId, event });
    this.logger.log(
      `delivery ${deliveryId}: pull_request ${event.action} #${event.number}@${event.headSha.slice(0, 12)} -> ${outcome.checks?.length ?? 0} check request(s)`,
    );
    return accepted(outcome, {
      githubRepoId: String(event.repository.id),
      ref: `refs/pull/${event.number}/head`,
      headCommit: event.headSha,
    });
  }
}
