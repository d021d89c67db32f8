import type { EntityManager } from '@mikro-orm/postgresql';
import type { Stores } from '@repoguard/domain';
import { MikroOrmApiKeyRepository } from './mikro-orm-api-key-repository';
import { MikroOrmAuditTrail } from './mikro-orm-audit-trail';
import { MikroOrmScanRepository } from '../repositories/mikro-orm-scan-repository';
import { MikroOrmGithubInstallationRepository } from './mikro-orm-github-installation-repository';
import { MikroOrmRepoRepository } from './mikro-orm-repo-repository';
import { MikroOrmScanHistory } from './mikro-orm-scan-history';
import { MikroOrmWebhookDeliveryLog } from './mikro-orm-webhook-delivery-log';

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
    scans: lazy('scans', () => new MikroOrmScanRepository(em)),
    scanHistory: lazy('scanHistory', () => new MikroOrmScanHistory(em)),
    webhookDeliveries: lazy('webhookDeliveries', () => new MikroOrmWebhookDeliveryLog(em)),
    githubInstallations: lazy('githubInstallations', () => new MikroOrmGithubInstallationRepository(em)),
  });
}
