import {
  ConflictError,
  UniqueViolationError,
  type GithubAppDirectory,
  type LinkedGithubInstallation,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface LinkGithubInstallationCommand {
  readonly caller: OrgCaller;
  readonly installationId: string;
}

/** Links an installation of the app (as GitHub describes it) to the org; one org per installation. */
export class LinkGithubInstallation {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly app: GithubAppDirectory,
  ) {}

  async execute({
    caller,
    installationId,
  }: LinkGithubInstallationCommand): Promise<LinkedGithubInstallation> {
    const described = await this.app.describeInstallation(installationId);
    try {
      return await this.uow.transaction(caller.scope, async ({ githubInstallations, audit }) => {
        const linked = githubInstallations.add({
          installationId: described.id,
          orgId: caller.orgId,
          accountLogin: described.accountLogin,
          accountType: described.accountType,
        });
        audit.record(caller.actor, {
          orgId: caller.orgId,
          action: 'github_installation.linked',
          targetType: 'github_installation',
          targetId: described.id,
          metadata: { account: described.accountLogin },
        });
        return linked;
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) {
        throw new ConflictError(
          'GITHUB_INSTALLATION_ALREADY_LINKED',
          'This installation is already linked to an organization',
          [{ field: 'installation_id', problem: 'is already linked' }],
        );
      }
      throw error;
    }
  }
}
