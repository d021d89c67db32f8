import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewPersonalToken, PersonalTokenRepository } from '@repoguard/domain';
import { PersonalTokenEntity } from '../entities';

export class MikroOrmPersonalTokenRepository implements PersonalTokenRepository {
  constructor(private readonly em: EntityManager) {}

  add(token: NewPersonalToken): void {
    this.em.create(PersonalTokenEntity, { ...token });
  }
}
