import type { EntityManager } from '@mikro-orm/postgresql';
import type { Stores, TenantScope, UnitOfWork } from '@repoguard/domain';
import { tenantScoped } from '../tenant-scope';
import { mikroOrmStores } from './mikro-orm-stores';

/**
 * A fresh entity manager per unit of work: tenant-scoped for a caller (a query that forgets the
 * org still cannot read another tenant's rows), unfiltered for the system's own work.
 */
export class MikroOrmUnitOfWork implements UnitOfWork {
  constructor(private readonly em: EntityManager) {}

  transaction<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T> {
    return this.entityManager(scope).transactional(async (tx) => {
      const result = await work(mikroOrmStores(tx));
      await tx.flush();
      return result;
    });
  }

  async read<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T> {
    const em = this.entityManager(scope);
    const result = await work(mikroOrmStores(em));
    await em.flush();
    return result;
  }

  private entityManager(scope: TenantScope): EntityManager {
    return scope === 'system' ? this.em.fork({ clear: true }) : tenantScoped(this.em, scope.orgIds);
  }
}
