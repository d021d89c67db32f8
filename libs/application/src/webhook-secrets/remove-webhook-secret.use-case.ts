import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface RemoveWebhookSecretCommand {
  readonly caller: OrgCaller;
}

/** The org's webhook URL refuses every delivery from now on. Audited only if there was a secret. */
export class RemoveWebhookSecret {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: RemoveWebhookSecretCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ webhookSecrets, audit }) => {
      if (!(await webhookSecrets.remove(caller.orgId))) return;
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'webhook_secret.removed',
        targetType: 'organization',
        targetId: caller.orgId,
      });
    });
  }
}
