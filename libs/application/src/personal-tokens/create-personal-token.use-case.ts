import {
  ValidationError,
  type Clock,
  type PersonalTokenRecord,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import { userIdOf, type Caller } from '../shared/caller';
import { auditInEachOrg } from './personal-token-audit';
import { checkTokenExpiry } from '../shared/token-expiry';

export interface CreatePersonalTokenCommand {
  /** The signed-in user: a token is always made for oneself. */
  readonly caller: Caller;
  readonly name: string;
  readonly expiresAt: Date | null;
}

export interface CreatedPersonalToken {
  readonly token: PersonalTokenRecord;
  /** The secret: returned this once, only its hash is stored. */
  readonly secret: string;
}

/** Another token for the signed-in user, reaching every org they are a member of; audited in each. */
export class CreatePersonalToken {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, name, expiresAt }: CreatePersonalTokenCommand): Promise<CreatedPersonalToken> {
    const userId = userIdOf(caller);
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) {
      throw new ValidationError('name must be 1 to 100 characters', [
        { field: 'name', problem: 'must be 1 to 100 characters' },
      ]);
    }
    checkTokenExpiry(expiresAt, this.clock.now());
    const issued = this.tokens.issue('personal');
    return this.uow.transaction(caller.scope, async ({ personalTokens, audit }) => {
      const token = personalTokens.add({
        userId,
        name: trimmed,
        tokenHash: issued.hash,
        prefix: issued.prefix,
        expiresAt,
      });
      auditInEachOrg(audit, caller, 'personal_token.created', token);
      return { token, secret: issued.token };
    });
  }
}
