import type { EntityManager } from '@mikro-orm/postgresql';
import type { RescanTargets } from '@repoguard/domain';

/** The org's enabled repositories, for its periodic rescan. */
export class SqlRescanTargets implements RescanTargets {
  constructor(private readonly em: EntityManager) {}

  async page(orgId: string, afterRepoId: string | null, limit: number): Promise<{ id: string }[]> {
    const query = this.em
      .fork()
      .getKnex()('repositories')
      .where({ org_id: orgId })
      .whereNull('disabled_at')
      .orderBy('id')
      .limit(limit)
      .select('id');
    if (afterRepoId !== null) query.where('id', '>', afterRepoId);
    return (await query) as { id: string }[];
  }
}
