import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OwnedResource, ResourceOwners } from '@repoguard/domain';
import { ApiKeyEntity, FindingEntity, RepositoryEntity, ScanEntity } from '../entities';
import { StatementTemplates } from '../read-models/prepared-rows';

const ENTITIES = {
  repository: RepositoryEntity,
  scan: ScanEntity,
  finding: FindingEntity,
  api_key: ApiKeyEntity,
} as const;

/** Every request to a resource's route asks this first: its statements are built once per scope. */
const OWNER_STATEMENTS = new StatementTemplates();

export class MikroOrmResourceOwners implements ResourceOwners {
  constructor(private readonly em: EntityManager) {}

  async orgOf(resource: OwnedResource, id: string): Promise<string | null> {
    if (resource === 'repository_history') {
      // Disconnecting deletes the repository row but keeps its findings (unless purged).
      return (await this.orgOf('repository', id)) ?? (await this.ownerOf(FindingEntity, 'repoId', id));
    }
    return this.ownerOf(ENTITIES[resource] as typeof RepositoryEntity, 'id', id);
  }

  private async ownerOf<T extends { orgId: string }>(
    entity: EntityClass<T>,
    column: 'id' | 'repoId',
    id: string,
  ): Promise<string | null> {
    // Only the org id, without building an entity; the tenant filter applies as on every read.
    const [row] = await OWNER_STATEMENTS.rows<{ org_id: string }>(
      this.em,
      `${entity.name}.${column}`,
      [id],
      async ([value]) => {
        const query = this.em
          .createQueryBuilder(entity)
          .select('orgId')
          .where({ [column]: value } as FilterQuery<T>)
          .limit(1);
        await query.applyFilters();
        return { query: query.getKnexQuery() };
      },
    );
    return row ? row.org_id : null;
  }
}
