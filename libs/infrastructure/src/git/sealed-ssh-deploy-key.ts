import { DomainError, type SshDeployKeyView, type SshKeyPair } from '@repoguard/domain';
import { SecretDecryptionError } from '../crypto/secret-box';
import type { MikroOrmSecretStore } from '../persistence/repositories/mikro-orm-secret-store';

/** An org's ssh deploy key as sealed in `stored_secrets` (kind ssh_deploy_key, org-wide). */
export interface StoredSshDeployKey extends SshDeployKeyView {
  readonly privateKey: string;
}

export const SSH_DEPLOY_KEY_KIND = 'ssh_deploy_key';

/** The org's key pair, or null; SSH_DEPLOY_KEY_UNREADABLE when no configured key opens it. */
export async function readSshDeployKey(
  secrets: MikroOrmSecretStore,
  orgId: string,
): Promise<StoredSshDeployKey | null> {
  let stored: string | null;
  try {
    stored = await secrets.get(orgId, SSH_DEPLOY_KEY_KIND, null);
  } catch (error) {
    if (error instanceof SecretDecryptionError) throw unreadable();
    throw error;
  }
  if (stored === null) return null;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(stored) as Record<string, unknown>;
  } catch {
    throw unreadable();
  }
  const { private_key: privateKey, public_key: publicKey, fingerprint, created_at: createdAt } = value;
  if (
    typeof privateKey !== 'string' ||
    typeof publicKey !== 'string' ||
    typeof fingerprint !== 'string' ||
    typeof createdAt !== 'string'
  ) {
    throw unreadable();
  }
  return { privateKey, publicKey, fingerprint, createdAt: new Date(createdAt) };
}

export async function writeSshDeployKey(
  secrets: MikroOrmSecretStore,
  orgId: string,
  pair: SshKeyPair,
  at: Date,
): Promise<void> {
  const value = {
    private_key: pair.privateKey,
    public_key: pair.publicKey,
    fingerprint: pair.fingerprint,
    created_at: at.toISOString(),
  };
  await secrets.put(orgId, SSH_DEPLOY_KEY_KIND, null, JSON.stringify(value));
}

// A retry cannot fix it (a lost key or a tampered row): say how to get going again.
function unreadable(): DomainError {
  return new DomainError(
    'conflict',
    'SSH_DEPLOY_KEY_UNREADABLE',
    "The org's ssh deploy key cannot be opened with the configured keys: rotate it (POST /orgs/{org_id}/ssh-keys) or add its key to REPOGUARD_ENCRYPTION_KEYS_OLD",
  );
}
