import { Injectable } from '@nestjs/common';
import { handledDelivery } from '@repoguard/application';
import type { WebhookEffect, WebhookHandler } from './webhook-handler';

/** GitHub's hello when a hook is created: answered, nothing else. */
@Injectable()
export class PingWebhookHandler implements WebhookHandler {
  readonly event = 'ping';

  handle(): Promise<WebhookEffect> {
    return Promise.resolve({ ...handledDelivery('pong'), statusCode: 200 });
  }
}
