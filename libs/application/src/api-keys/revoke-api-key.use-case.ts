import { assertMayRevokeApiKey, NotFoundError, type Clock, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface RevokeApiKeyCommand {
  readonly caller: OrgCaller;
  readonly keyId: string;
}

/**
 * The key stops working at once. Revoking twice changes nothing, and records nothing. Only a role
 * that may grant the key's role may revoke it (an admin cannot revoke an owner's key).
 */
export class RevokeApiKey {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, keyId }: RevokeApiKeyCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ apiKeys, audit }) => {
      const key = await apiKeys.get(keyId);
      if (!key) throw new NotFoundError('API_KEY_NOT_FOUND', `No API key with id ${keyId}`);
      assertMayRevokeApiKey(caller.role, key.role);
      if (key.revokedAt) return;
      await apiKeys.revoke(key.id, this.clock.now());
      audit.record(caller.actor, {
        orgId: key.orgId,
        action: 'api_key.revoked',
        targetType: 'api_key',
        targetId: key.id,
        metadata: { name: key.name, prefix: key.prefix },
      });
    });
  }
}
