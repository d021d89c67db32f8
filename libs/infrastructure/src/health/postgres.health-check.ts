import type { EntityManager } from '@mikro-orm/postgresql';
import type { HealthCheck } from './health-check';

export class PostgresHealthCheck implements HealthCheck {
  readonly name = 'postgres';
  constructor(private readonly em: EntityManager) {}

  async check(): Promise<void> {
    await this.em.getConnection().execute('select 1');
  }
}
