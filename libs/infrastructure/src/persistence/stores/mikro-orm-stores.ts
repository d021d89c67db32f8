import type { EntityManager } from '@mikro-orm/postgresql';
import type { Stores } from '@repoguard/domain';
import { MikroOrmApiKeyRepository } from './mikro-orm-api-key-repository';
import { MikroOrmAuditTrail } from './mikro-orm-audit-trail';
import { MikroOrmRepoRepository } from './mikro-orm-repo-repository';

/** Every store of one unit of work, on its entity manager; each built the first time it is named. */
export function mikroOrmStores(em: EntityManager): Stores {
  const cache = new Map<keyof Stores, unknown>();
  const lazy = <K extends keyof Stores>(key: K, make: () => Stores[K]) => ({
    get: (): Stores[K] => {
      if (!cache.has(key)) cache.set(key, make());
      return cache.get(key) as Stores[K];
    },
    enumerable: true,
  });
  return Object.defineProperties({} as Stores, {
    audit: lazy('audit', () => new MikroOrmAuditTrail(em)),
    apiKeys: lazy('apiKeys', () => new MikroOrmApiKeyRepository(em)),
    repositories: lazy('repositories', () => new MikroOrmRepoRepository(em)),
  });
}
