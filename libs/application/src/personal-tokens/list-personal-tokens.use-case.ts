import type { PersonalTokenRecord, UnitOfWork } from '@repoguard/domain';
import { userIdOf, type Caller } from '../shared/caller';

export interface ListPersonalTokensCommand {
  readonly caller: Caller;
}

/** The signed-in user's own tokens, newest first, revoked and expired ones included (never secrets). */
export class ListPersonalTokens {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: ListPersonalTokensCommand): Promise<PersonalTokenRecord[]> {
    const userId = userIdOf(caller);
    return this.uow.read(caller.scope, ({ personalTokens }) => personalTokens.listOfUser(userId));
  }
}
