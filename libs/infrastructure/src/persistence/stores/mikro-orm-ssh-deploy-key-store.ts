import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DomainError,
  type SshDeployKeyStore,
  type SshDeployKeyView,
  type SshKeyPair,
  type SshKeyReplacement,
} from '@repoguard/domain';
import type { AesGcmSecretBox } from '../../crypto/secret-box';
import { readSshDeployKey, SSH_DEPLOY_KEY_KIND, writeSshDeployKey } from '../../git/sealed-ssh-deploy-key';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { encryptionNotConfigured } from './encryption-not-configured';

/** In `stored_secrets` as the org's `ssh_deploy_key`, in the unit of work's transaction. */
export class MikroOrmSshDeployKeyStore implements SshDeployKeyStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox | null,
  ) {}

  async replace(orgId: string, pair: SshKeyPair, at: Date): Promise<SshKeyReplacement> {
    const secrets = this.secrets();
    // An unreadable key is replaced all the same: rotating is how one gets past it.
    const previous = await readSshDeployKey(secrets, orgId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'SSH_DEPLOY_KEY_UNREADABLE') return undefined;
      throw error;
    });
    const replaced = previous !== null;
    await writeSshDeployKey(secrets, orgId, pair, at);
    return { replaced, previousFingerprint: previous?.fingerprint ?? null };
  }

  async find(orgId: string): Promise<SshDeployKeyView | null> {
    const stored = await readSshDeployKey(this.secrets(), orgId);
    return (
      stored && { publicKey: stored.publicKey, fingerprint: stored.fingerprint, createdAt: stored.createdAt }
    );
  }

  remove(orgId: string): Promise<boolean> {
    return this.secrets().delete(orgId, SSH_DEPLOY_KEY_KIND, null);
  }

  private secrets(): MikroOrmSecretStore {
    if (!this.box) throw encryptionNotConfigured();
    return new MikroOrmSecretStore(this.em, this.box);
  }
}
