import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiKeyRecord, ApiKeyRepository, NewApiKey, Role } from '@repoguard/domain';
import { ApiKeyEntity } from '../entities';

const recordOf = (key: ApiKeyEntity): ApiKeyRecord => ({
  id: key.id,
  orgId: key.orgId,
  name: key.name,
  role: key.role as Role,
  prefix: key.prefix,
  expiresAt: key.expiresAt,
  revokedAt: key.revokedAt,
  createdAt: key.createdAt,
});

export class MikroOrmApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly em: EntityManager) {}

  add(key: NewApiKey): ApiKeyRecord {
    return recordOf(this.em.create(ApiKeyEntity, { ...key }));
  }

  async list(orgId: string): Promise<ApiKeyRecord[]> {
    const keys = await this.em.find(ApiKeyEntity, { orgId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
    return keys.map(recordOf);
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const key = await this.em.findOne(ApiKeyEntity, { id });
    return key ? recordOf(key) : null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    const key = await this.em.findOneOrFail(ApiKeyEntity, { id });
    key.revokedAt = at;
  }

  async revokeAll(orgId: string, at: Date): Promise<void> {
    await this.em.nativeUpdate(ApiKeyEntity, { orgId, revokedAt: null }, { revokedAt: at });
  }
}
