import type { EntityManager } from '@mikro-orm/postgresql';
import type { DatabaseStatus, SystemProbe } from '@repoguard/domain';

export class MikroOrmSystemProbe implements SystemProbe {
  constructor(private readonly em: EntityManager) {}

  async probeDatabase(): Promise<DatabaseStatus> {
    // A fork per call: activities run outside any request context.
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<{ server_time: Date; applied: string }[]>(
        'select now() as server_time, (select count(*) from mikro_orm_migrations) as applied',
      );
    const row = rows[0];
    if (!row) throw new Error('the database answered the probe with no row');
    return { serverTime: new Date(row.server_time), appliedMigrations: Number(row.applied) };
  }
}
