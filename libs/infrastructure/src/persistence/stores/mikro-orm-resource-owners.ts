import type { EntityManager } from '@mikro-orm/postgresql';
import type { OwnedResource, ResourceOwners } from '@repoguard/domain';
import { ApiKeyEntity, FindingEntity, RepositoryEntity, ScanEntity } from '../entities';

const ENTITIES = {
  repository: RepositoryEntity,
  scan: ScanEntity,
  finding: FindingEntity,
  api_key: ApiKeyEntity,
} as const;

export class MikroOrmResourceOwners implements ResourceOwners {
  constructor(private readonly em: EntityManager) {}

  async orgOf(resource: OwnedResource, id: string): Promise<string | null> {
    // Only the org id, without building an entity; the tenant filter applies as on every read.
    const query = this.em
      .createQueryBuilder(ENTITIES[resource] as typeof RepositoryEntity)
      .select('orgId')
      .where({ id });
    await query.applyFilters();
    const row = await query.execute('get');
    return row ? row.orgId : null;
  }
}
