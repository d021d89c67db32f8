import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueViolationError, type Stores, type TenantScope, type UnitOfWork } from '@repoguard/domain';
import { tenantScoped } from '../tenant-scope';
import { mikroOrmStores, type StoreSettings } from './mikro-orm-stores';

/**
 * A fresh entity manager per unit of work: tenant-scoped for a caller (a query that forgets the
 * org still cannot read another tenant's rows), unfiltered for the system's own work.
 */
export class MikroOrmUnitOfWork implements UnitOfWork {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: StoreSettings = {},
  ) {}

  transaction<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T> {
    return uniqueViolationsAsDomain(() =>
      this.entityManager(scope).transactional(async (tx) => {
        const result = await work(mikroOrmStores(tx, this.settings));
        await tx.flush();
        return result;
      }),
    );
  }

  read<T>(scope: TenantScope, work: (stores: Stores) => Promise<T>): Promise<T> {
    return uniqueViolationsAsDomain(async () => {
      const em = this.entityManager(scope);
      const result = await work(mikroOrmStores(em, this.settings));
      await em.flush();
      return result;
    });
  }

  private entityManager(scope: TenantScope): EntityManager {
    return scope === 'system' ? this.em.fork({ clear: true }) : tenantScoped(this.em, scope.orgIds);
  }
}

async function uniqueViolationsAsDomain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new UniqueViolationError(error.message);
    throw error;
  }
}
