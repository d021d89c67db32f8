import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserRecord, UserRepository } from '@repoguard/domain';
import { UserEntity } from '../entities';

const recordOf = (user: UserEntity): UserRecord => ({ id: user.id, email: user.email });

export class MikroOrmUserRepository implements UserRepository {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<UserRecord | null> {
    const user = await this.em.findOne(UserEntity, { id });
    return user ? recordOf(user) : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const user = await this.em.findOne(UserEntity, { email });
    return user ? recordOf(user) : null;
  }

  add(email: string): UserRecord {
    return recordOf(this.em.create(UserEntity, { email }));
  }
}
