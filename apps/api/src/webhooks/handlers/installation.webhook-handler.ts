import { Injectable } from '@nestjs/common';
import { SetInstallationAccess } from '@repoguard/application';
import type { Stores } from '@repoguard/domain';
import { accepted, malformedPayload, type WebhookDelivery, type WebhookHandler } from './webhook-handler';

@Injectable()
export class InstallationWebhookHandler implements WebhookHandler {
  readonly event = 'installation';
  readonly appOnly = true;

  constructor(private readonly setInstallationAccess: SetInstallationAccess) {}

  async handle(stores: Stores, { caller, action, payload }: WebhookDelivery) {
    const installation = (payload as { installation?: { id?: unknown } }).installation;
    if (typeof installation?.id !== 'number')
      throw malformedPayload('An installation event needs installation.id');
    return accepted(
      await this.setInstallationAccess.executeIn(stores, {
        caller,
        installationId: String(installation.id),
        githubAction: action,
      }),
    );
  }
}
