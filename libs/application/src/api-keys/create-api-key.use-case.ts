import {
  assertMayGrant,
  type ApiKeyRecord,
  type Clock,
  type Role,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { checkTokenExpiry } from '../shared/token-expiry';

export interface CreateApiKeyCommand {
  readonly caller: OrgCaller;
  readonly name: string;
  readonly role: Role;
  readonly expiresAt: Date | null;
}

export interface CreatedApiKey {
  readonly key: ApiKeyRecord;
  /** The secret: returned this once, only its hash is stored. */
  readonly token: string;
}

/** A key for CI systems, with a role no higher than its creator's; audited in its transaction. */
export class CreateApiKey {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, name, role, expiresAt }: CreateApiKeyCommand): Promise<CreatedApiKey> {
    assertMayGrant(caller.role, role);
    checkTokenExpiry(expiresAt, this.clock.now());
    const issued = this.tokens.issue('api_key');
    return this.uow.transaction(caller.scope, async ({ apiKeys, audit }) => {
      const key = apiKeys.add({
        orgId: caller.orgId,
        name: name.trim(),
        role,
        tokenHash: issued.hash,
        prefix: issued.prefix,
        createdBy: caller.actor.actorId,
        expiresAt,
      });
      audit.record(caller.actor, {
        orgId: key.orgId,
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: key.id,
        metadata: { name: key.name, role: key.role, prefix: key.prefix },
      });
      return { key, token: issued.token };
    });
  }
}
