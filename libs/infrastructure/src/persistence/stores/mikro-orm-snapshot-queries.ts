import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  CountedPage,
  ListedDependency,
  PageRequest,
  SnapshotQueries,
  SnapshotRecord,
} from '@repoguard/domain';
import { DependencyEntity, DependencySnapshotEntity } from '../entities';

export class MikroOrmSnapshotQueries implements SnapshotQueries {
  constructor(private readonly em: EntityManager) {}

  async get(repoId: string, snapshotId: string): Promise<SnapshotRecord | null> {
    const snapshot = await this.em.findOne(DependencySnapshotEntity, { id: snapshotId, repoId });
    return snapshot
      ? {
          id: snapshot.id,
          repoId: snapshot.repoId,
          commitSha: snapshot.commitSha,
          createdAt: snapshot.createdAt,
          manifests: snapshot.manifests,
        }
      : null;
  }

  async dependencies(snapshotId: string, page: PageRequest): Promise<CountedPage<ListedDependency>> {
    const [rows, total] = await this.em.findAndCount(
      DependencyEntity,
      { snapshotId },
      { orderBy: { manifestPath: 'asc', name: 'asc', id: 'asc' }, limit: page.limit, offset: page.offset },
    );
    return {
      items: rows.map((d) => ({
        ecosystem: d.ecosystem,
        name: d.name,
        version: d.version,
        specifier: d.specifier,
        scope: d.scope,
        direct: d.direct,
        manifestPath: d.manifestPath,
        line: d.line,
        purl: d.purl,
      })),
      total,
    };
  }
}
