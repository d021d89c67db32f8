import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  GithubInstallationRepository,
  LinkedGithubInstallation,
  NewGithubInstallation,
} from '@repoguard/domain';
import { GithubInstallationEntity } from '../entities';

export const linkedInstallationOf = (row: GithubInstallationEntity): LinkedGithubInstallation => ({
  // MikroORM hands bigint columns back as BigInt.
  installationId: String(row.installationId),
  orgId: row.orgId,
  accountLogin: row.accountLogin,
  accountType: row.accountType,
  revokedAt: row.revokedAt,
  createdAt: row.createdAt,
});

export class MikroOrmGithubInstallationRepository implements GithubInstallationRepository {
  constructor(private readonly em: EntityManager) {}

  async findLinked(orgId: string, installationId: string): Promise<LinkedGithubInstallation | null> {
    const row = await this.em.findOne(GithubInstallationEntity, { installationId, orgId, revokedAt: null });
    return row ? linkedInstallationOf(row) : null;
  }

  async list(orgId: string): Promise<LinkedGithubInstallation[]> {
    const rows = await this.em.find(GithubInstallationEntity, { orgId }, { orderBy: { createdAt: 'asc' } });
    return rows.map(linkedInstallationOf);
  }

  add(installation: NewGithubInstallation): LinkedGithubInstallation {
    return linkedInstallationOf(this.em.create(GithubInstallationEntity, { ...installation }));
  }

  async get(installationId: string): Promise<LinkedGithubInstallation | null> {
    const row = await this.em.findOne(GithubInstallationEntity, { installationId });
    return row ? linkedInstallationOf(row) : null;
  }

  async unlinkAll(orgId: string): Promise<string[]> {
    const rows = await this.em.find(GithubInstallationEntity, { orgId }, { fields: ['installationId'] });
    await this.em.nativeDelete(GithubInstallationEntity, { orgId });
    return rows.map((row) => String(row.installationId));
  }

  async setRevoked(installationId: string, at: Date | null): Promise<void> {
    const row = await this.em.findOneOrFail(GithubInstallationEntity, { installationId });
    row.revokedAt = at;
  }
}
