import { ValidationError, type GithubCredentials } from '@repoguard/domain';
import { SecretDecryptionError } from '../../crypto/secret-box';
import type { MikroOrmSecretStore } from './mikro-orm-secret-store';

/** An org's GitHub token, kept sealed in stored_secrets (kind github_token, no owner). */
export class SecretStoreGithubCredentials implements GithubCredentials {
  constructor(private readonly store: MikroOrmSecretStore) {}

  async tokenFor(orgId: string): Promise<string | null> {
    try {
      return await this.store.get(orgId, 'github_token', null);
    } catch (error) {
      // A retry cannot fix a key that is missing or a tampered row: fail the scan, say what to do.
      if (error instanceof SecretDecryptionError) {
        throw new ValidationError(
          "The org's GitHub token cannot be decrypted: set it again, or add its key to REPOGUARD_ENCRYPTION_KEYS_OLD",
          [{ field: 'github_token', problem: 'cannot be decrypted with the configured keys' }],
          'GITHUB_TOKEN_UNREADABLE',
        );
      }
      throw error;
    }
  }
}
