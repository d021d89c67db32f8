import {
  UnauthenticatedError,
  type ApiKeyRecord,
  type PersonalTokenRecord,
  type Principal,
  type Role,
  type UnitOfWork,
  type UserRecord,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface GetCurrentIdentityCommand {
  readonly caller: Caller;
  /** What authentication found: who, and through which token. */
  readonly principal: Principal;
}

export type CurrentIdentity =
  | {
      readonly kind: 'user';
      readonly user: UserRecord;
      readonly token: PersonalTokenRecord;
      readonly orgs: readonly { readonly orgId: string; readonly role: Role }[];
    }
  | { readonly kind: 'api_key'; readonly apiKey: ApiKeyRecord }
  | { readonly kind: 'instance_admin' };

// The token was revoked between authentication and this read: as if it had been a moment earlier.
const gone = () =>
  new UnauthenticatedError('TOKEN_INVALID', 'The bearer token is unknown, revoked or expired');

/** Who is calling and through which token (never the secret): a user, an org API key or the instance admin. */
export class GetCurrentIdentity {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, principal }: GetCurrentIdentityCommand): Promise<CurrentIdentity> {
    if (principal.kind === 'instance_admin' || principal.id === null) {
      return Promise.resolve({ kind: 'instance_admin' });
    }
    const id = principal.id;
    return this.uow.read(caller.scope, async ({ users, personalTokens, apiKeys }) => {
      if (principal.kind === 'api_key') {
        const apiKey = await apiKeys.get(id);
        if (!apiKey) throw gone();
        return { kind: 'api_key', apiKey };
      }
      const [user, token] = await Promise.all([
        users.get(id),
        personalTokens.getOfUser(id, principal.tokenId),
      ]);
      if (!user || !token) throw gone();
      const orgs = [...principal.roles].map(([orgId, role]) => ({ orgId, role }));
      return { kind: 'user', user, token, orgs };
    });
  }
}
