import type { EntityManager } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../persistence/migrations';
import type { HealthCheck } from './health-check';

/** Ready only once every committed migration is applied: older code must not serve a newer schema, nor the reverse. */
export class MigrationsHealthCheck implements HealthCheck {
  readonly name = 'migrations';
  constructor(private readonly em: EntityManager) {}

  async check(): Promise<void> {
    const rows: { name: string }[] = await this.em
      .getConnection()
      .execute('select name from mikro_orm_migrations');
    const applied = new Set(rows.map((r) => r.name.replace(/\.[jt]s$/, '')));
    const pending = MIGRATIONS.filter((m) => !applied.has(m.name)).map((m) => m.name);
    if (pending.length > 0)
      throw new Error(`${pending.length} migration(s) not applied: ${pending.join(', ')}`);
  }
}
