import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookSecretStore } from '@repoguard/domain';
import { type AesGcmSecretBox, SecretDecryptionError } from '../../crypto/secret-box';
import { StoredSecretEntity } from '../entities';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { encryptionNotConfigured } from './encryption-not-configured';

/** In `stored_secrets` as the org's `webhook_secret` (no owner), in the unit of work's transaction. */
export class MikroOrmWebhookSecretStore implements WebhookSecretStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox | null,
  ) {}

  async seal(orgId: string, secret: string): Promise<void> {
    if (!this.box) throw encryptionNotConfigured();
    await new MikroOrmSecretStore(this.em, this.box).put(orgId, 'webhook_secret', null, secret);
  }

  async remove(orgId: string): Promise<boolean> {
    // Removing needs no key: an instance that lost its key can still drop what it cannot open.
    return (
      (await this.em.nativeDelete(StoredSecretEntity, { orgId, kind: 'webhook_secret', ownerId: null })) > 0
    );
  }

  async updatedAt(orgId: string): Promise<Date | null> {
    const row = await this.em.findOne(
      StoredSecretEntity,
      { orgId, kind: 'webhook_secret', ownerId: null },
      { fields: ['updatedAt'] },
    );
    return row?.updatedAt ?? null;
  }

  async open(orgId: string): Promise<string | null> {
    // Without the key (or with a row no configured key opens) nothing can be verified: every
    // delivery is then refused like an unsigned one, the same answer as for an org without a secret.
    if (!this.box) return null;
    try {
      return await new MikroOrmSecretStore(this.em, this.box).get(orgId, 'webhook_secret', null);
    } catch (error) {
      if (error instanceof SecretDecryptionError) return null;
      throw error;
    }
  }
}
