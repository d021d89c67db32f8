import type { EntityManager } from '@mikro-orm/postgresql';
import type { GithubTokenStore } from '@repoguard/domain';
import type { AesGcmSecretBox } from '../../crypto/secret-box';
import { StoredSecretEntity } from '../entities';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { encryptionNotConfigured } from './encryption-not-configured';

/** In `stored_secrets` as the org's `github_token`, in the unit of work's transaction. */
export class MikroOrmGithubTokenStore implements GithubTokenStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox | null,
  ) {}

  async seal(orgId: string, token: string): Promise<void> {
    await this.secrets().put(orgId, 'github_token', null, token);
  }

  remove(orgId: string): Promise<boolean> {
    return this.secrets().delete(orgId, 'github_token', null);
  }

  async updatedAt(orgId: string): Promise<Date | null> {
    const row = await this.em.findOne(
      StoredSecretEntity,
      { orgId, kind: 'github_token', ownerId: null },
      { fields: ['updatedAt'] },
    );
    return row?.updatedAt ?? null;
  }

  private secrets(): MikroOrmSecretStore {
    if (!this.box) throw encryptionNotConfigured();
    return new MikroOrmSecretStore(this.em, this.box);
  }
}
