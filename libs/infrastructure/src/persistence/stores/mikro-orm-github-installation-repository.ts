import type { EntityManager } from '@mikro-orm/postgresql';
import type { GithubInstallationRepository, LinkedGithubInstallation } from '@repoguard/domain';
import { GithubInstallationEntity } from '../entities';

export const linkedInstallationOf = (row: GithubInstallationEntity): LinkedGithubInstallation => ({
  // MikroORM hands bigint columns back as BigInt.
  installationId: String(row.installationId),
  orgId: row.orgId,
  accountLogin: row.accountLogin,
  accountType: row.accountType,
  createdAt: row.createdAt,
});

export class MikroOrmGithubInstallationRepository implements GithubInstallationRepository {
  constructor(private readonly em: EntityManager) {}

  async findLinked(orgId: string, installationId: string): Promise<LinkedGithubInstallation | null> {
    const row = await this.em.findOne(GithubInstallationEntity, { installationId, orgId, revokedAt: null });
    return row ? linkedInstallationOf(row) : null;
  }
}
