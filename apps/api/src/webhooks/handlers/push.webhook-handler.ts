import { Injectable, Logger } from '@nestjs/common';
import { RequestPushScans } from '@repoguard/application';
import { asPushEvent, type Stores } from '@repoguard/domain';
import { accepted, malformedPayload, type WebhookDelivery, type WebhookHandler } from './webhook-handler';

@Injectable()
export class PushWebhookHandler implements WebhookHandler {
  readonly event = 'push';
  private readonly logger = new Logger('GithubWebhooks');

  constructor(private readonly requestPushScans: RequestPushScans) {}

  async handle(stores: Stores, { deliveryId, caller, payload }: WebhookDelivery) {
    const push = asPushEvent(payload);
    if (!push) throw malformedPayload('A push needs ref, after and repository.id');
    const outcome = await this.requestPushScans.executeIn(stores, { caller, deliveryId, push });
    this.logger.log(
      `delivery ${deliveryId}: push ${push.ref}@${push.after.slice(0, 12)} -> ${outcome.scans.length} scan request(s)`,
    );
    return accepted(outcome, {
      githubRepoId: String(push.repository.id),
      ref: push.ref,
      headCommit: push.after,
    });
  }
}
