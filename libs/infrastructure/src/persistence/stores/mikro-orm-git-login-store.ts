import type { EntityManager } from '@mikro-orm/postgresql';
import type { GitLogin, GitLoginStore } from '@repoguard/domain';
import type { AesGcmSecretBox } from '../../crypto/secret-box';
import { StoredGitCredentials } from '../../git/stored-git-credentials';
import { MikroOrmSecretStore } from '../repositories/mikro-orm-secret-store';
import { encryptionNotConfigured } from './encryption-not-configured';

/** Sealed in `stored_secrets` under the repository's id, in the unit of work's transaction. */
export class MikroOrmGitLoginStore implements GitLoginStore {
  constructor(
    private readonly em: EntityManager,
    private readonly box: AesGcmSecretBox | null,
  ) {}

  async seal(orgId: string, repoId: string, login: GitLogin): Promise<void> {
    if (!this.box) throw encryptionNotConfigured();
    // The repository row first: the secret is written beside it with a statement of its own.
    await this.em.flush();
    await new StoredGitCredentials(new MikroOrmSecretStore(this.em, this.box)).store(orgId, repoId, login);
  }
}
