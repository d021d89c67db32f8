import type { UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface GetWebhookSecretStatusCommand {
  readonly caller: OrgCaller;
}

/** Whether the org has a webhook secret, and since when; never the secret. */
export class GetWebhookSecretStatus {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller }: GetWebhookSecretStatusCommand): Promise<{ updatedAt: Date | null }> {
    return this.uow.read(caller.scope, async ({ webhookSecrets }) => ({
      updatedAt: await webhookSecrets.updatedAt(caller.orgId),
    }));
  }
}
