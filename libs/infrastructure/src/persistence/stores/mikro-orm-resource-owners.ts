import type { EntityClass, FilterQuery } from '@mikro-orm/core';
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
    if (resource === 'repository_history') {
      // Disconnecting deletes the repository row but keeps its findings (unless purged).
      return (await this.orgOf('repository', id)) ?? (await this.ownerOf(FindingEntity, { repoId: id }));
    }
    return this.ownerOf(ENTITIES[resource] as typeof RepositoryEntity, { id });
  }

  private async ownerOf<T extends { orgId: string }>(
    entity: EntityClass<T>,
    where: FilterQuery<T>,
  ): Promise<string | null> {
    // Only the org id, without building an entity; the tenant filter applies as on every read.
    const query = this.em.createQueryBuilder(entity).select('orgId').where(where).limit(1);
    await query.applyFilters();
    const row = await query.execute('get');
    return row ? row.orgId : null;
  }
}
