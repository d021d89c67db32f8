import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '@repoguard/domain';
import { GithubInstallationEntity } from '@repoguard/infrastructure';

/** The org's live installation with this id, or GITHUB_INSTALLATION_NOT_FOUND naming the field. */
export async function linkedInstallation(
  em: EntityManager,
  orgId: string,
  installationId: string,
): Promise<GithubInstallationEntity> {
  const linked = await em.findOne(GithubInstallationEntity, { installationId, orgId, revokedAt: null });
  if (!linked) {
    throw new ValidationError(
      'No such GitHub App installation in this organization',
      [{ field: 'installation_id', problem: 'is not an installation linked to this organization' }],
      'GITHUB_INSTALLATION_NOT_FOUND',
    );
  }
  return linked;
}
