import type { EntityManager } from '@mikro-orm/postgresql';
import type { SealedSecrets } from '@repoguard/domain';
import { StoredSecretEntity } from '../entities';

/** `stored_secrets` rows of every kind, deleted in the unit of work's transaction (no key needed). */
export class MikroOrmSealedSecrets implements SealedSecrets {
  constructor(private readonly em: EntityManager) {}

  removeAllOf(orgId: string): Promise<number> {
    return this.em.nativeDelete(StoredSecretEntity, { orgId });
  }

  removeOwnedBy(orgId: string, ownerId: string): Promise<number> {
    return this.em.nativeDelete(StoredSecretEntity, { orgId, ownerId });
  }
}
