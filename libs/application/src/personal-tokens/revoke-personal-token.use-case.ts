import { NotFoundError, type Clock, type UnitOfWork } from '@repoguard/domain';
import { userIdOf, type Caller } from '../shared/caller';
import { auditInEachOrg } from './personal-token-audit';

export interface RevokePersonalTokenCommand {
  readonly caller: Caller;
  readonly tokenId: string;
}

/**
 * One of the signed-in user's own tokens stops working at once (the token authenticating this
 * very request included). Another user's token is not found, like an unknown id. Revoking twice
 * changes nothing, and records nothing.
 */
export class RevokePersonalToken {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, tokenId }: RevokePersonalTokenCommand): Promise<void> {
    const userId = userIdOf(caller);
    await this.uow.transaction(caller.scope, async ({ personalTokens, audit }) => {
      const token = await personalTokens.getOfUser(userId, tokenId);
      if (!token) throw new NotFoundError('PERSONAL_TOKEN_NOT_FOUND', `No personal token with id ${tokenId}`);
      if (token.revokedAt) return;
      await personalTokens.revoke(token.id, this.clock.now());
      auditInEachOrg(audit, caller, 'personal_token.revoked', token);
    });
  }
}
