import type { EntityManager } from '@mikro-orm/postgresql';
import type { GithubInstallationRecord, GithubInstallationRepository } from '@repoguard/domain';
import { GithubInstallationEntity } from '../entities';

export class MikroOrmGithubInstallationRepository implements GithubInstallationRepository {
  constructor(private readonly em: EntityManager) {}

  async get(installationId: string): Promise<GithubInstallationRecord | null> {
    const row = await this.em.findOne(GithubInstallationEntity, { installationId });
    return row ? { installationId, orgId: row.orgId, revokedAt: row.revokedAt } : null;
  }

  async setRevoked(installationId: string, at: Date | null): Promise<void> {
    const row = await this.em.findOneOrFail(GithubInstallationEntity, { installationId });
    row.revokedAt = at;
  }
}
