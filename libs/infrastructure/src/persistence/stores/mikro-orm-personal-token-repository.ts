import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewPersonalToken, PersonalTokenRecord, PersonalTokenRepository } from '@repoguard/domain';
import { PersonalTokenEntity } from '../entities';

const recordOf = (token: PersonalTokenEntity): PersonalTokenRecord => ({
  id: token.id,
  userId: token.userId,
  name: token.name,
  prefix: token.prefix,
  createdAt: token.createdAt,
  expiresAt: token.expiresAt,
  lastUsedAt: token.lastUsedAt,
  revokedAt: token.revokedAt,
});

/** Personal tokens are not tenant entities: every query here names the user. */
export class MikroOrmPersonalTokenRepository implements PersonalTokenRepository {
  constructor(private readonly em: EntityManager) {}

  add(token: NewPersonalToken): PersonalTokenRecord {
    return recordOf(this.em.create(PersonalTokenEntity, { ...token, expiresAt: token.expiresAt ?? null }));
  }

  async listOfUser(userId: string): Promise<PersonalTokenRecord[]> {
    const tokens = await this.em.find(
      PersonalTokenEntity,
      { userId },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
    return tokens.map(recordOf);
  }

  async getOfUser(userId: string, id: string): Promise<PersonalTokenRecord | null> {
    const token = await this.em.findOne(PersonalTokenEntity, { id, userId });
    return token ? recordOf(token) : null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    const token = await this.em.findOneOrFail(PersonalTokenEntity, { id });
    token.revokedAt = at;
  }
}
