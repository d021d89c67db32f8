import {
  can,
  ConflictError,
  DomainError,
  ForbiddenError,
  SYSTEM_SCOPE,
  tokenKindOf,
  UniqueViolationError,
  ValidationError,
  type AccessibleInstallation,
  type AuditContext,
  type Clock,
  type GithubLinkRequest,
  type GithubUserAuthorization,
  type LinkedGithubInstallation,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';

/** What GitHub sends to the app's setup (callback) URL; every field is the browser's, so untrusted. */
export interface CompleteGithubInstallationLinkCommand {
  readonly state: string;
  readonly code?: string;
  readonly installationId?: string;
  /** `install`, `update`, or `request` (a member asked an owner to install: nothing to link yet). */
  readonly setupAction?: string;
  /** GitHub's `error` when the person declined to authorize the app (`access_denied`). */
  readonly githubError?: string;
  readonly correlationId: string | null;
  readonly ip: string | null;
}

export interface CompletedGithubInstallationLink {
  readonly installation: LinkedGithubInstallation;
  /** The GitHub user whose access proved control of the installation. */
  readonly githubLogin: string;
}

const stateProblem = (kind: 'invalid' | 'gone', code: string, message: string, problem: string) =>
  new DomainError(kind, code, message, [{ field: 'state', problem }]);

/**
 * The end of GitHub's flow (the app's setup URL, with OAuth during installation): spends the
 * single-use state, which alone says which org and which RepoGuard user this is for, then links
 * the installation only if the GitHub user behind the code can access it (`GET /user/installations`
 * with their token). Every refusal after the state is known leaves an audit row in that org.
 */
export class CompleteGithubInstallationLink {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly github: GithubUserAuthorization,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute(command: CompleteGithubInstallationLinkCommand): Promise<CompletedGithubInstallationLink> {
    const request = await this.spend(command);
    const actor: AuditContext = {
      actorType: 'user',
      actorId: request.requestedBy,
      correlationId: command.correlationId,
      ip: command.ip,
    };
    let githubLogin: string | null = null;
    const installationId = command.installationId ?? request.installationId;
    try {
      const { code, wanted } = this.checkCallback(command, request);
      const proof = await this.github.findAccessibleInstallation(code, wanted);
      githubLogin = proof.githubLogin;
      if (!proof.installation) {
        throw new DomainError(
          'forbidden',
          'GITHUB_INSTALLATION_NOT_ACCESSIBLE',
          `GitHub user ${proof.githubLogin} cannot access installation ${wanted} of this app`,
          [
            {
              field: 'installation_id',
              problem: 'is not an installation the authorizing GitHub user can access',
            },
          ],
        );
      }
      return { installation: await this.link(request, actor, proof.installation, githubLogin), githubLogin };
    } catch (error) {
      if (error instanceof DomainError) {
        await this.recordRefusal(request, actor, error, { installationId, githubLogin });
      }
      throw error;
    }
  }

  /** Locks the request the state names and marks it used: a second callback with it is refused. */
  private async spend(command: CompleteGithubInstallationLinkCommand): Promise<GithubLinkRequest> {
    const unknown = stateProblem(
      'invalid',
      'GITHUB_LINK_STATE_INVALID',
      'This link request is not one RepoGuard issued: start linking again from RepoGuard',
      'is not the state of a link request',
    );
    if (tokenKindOf(command.state) !== 'github_link') throw unknown;
    const outcome = await this.uow.transaction(SYSTEM_SCOPE, async ({ githubLinkRequests }) => {
      const request = await githubLinkRequests.lockByStateHash(this.tokens.hash(command.state));
      if (!request) return { refusal: unknown };
      if (request.usedAt) {
        const used = stateProblem(
          'gone',
          'GITHUB_LINK_STATE_USED',
          'This link request was already used: start linking again',
          'was already used',
        );
        return { request, refusal: used };
      }
      const now = this.clock.now();
      if (request.expiresAt.getTime() <= now.getTime()) {
        const expired = stateProblem(
          'gone',
          'GITHUB_LINK_STATE_EXPIRED',
          'This link request has expired: start linking again',
          'has expired',
        );
        return { request, refusal: expired };
      }
      await githubLinkRequests.markUsed(request.id, now);
      return { request };
    });
    if (outcome.refusal) {
      if (outcome.request) {
        const actor: AuditContext = {
          actorType: 'user',
          actorId: outcome.request.requestedBy,
          correlationId: command.correlationId,
          ip: command.ip,
        };
        await this.recordRefusal(outcome.request, actor, outcome.refusal, {
          installationId: command.installationId ?? outcome.request.installationId,
          githubLogin: null,
        });
      }
      throw outcome.refusal;
    }
    return outcome.request;
  }

  /** The code and the installation to look for; what GitHub reported instead of a code is refused. */
  private checkCallback(
    { code, installationId, setupAction, githubError }: CompleteGithubInstallationLinkCommand,
    request: GithubLinkRequest,
  ): { code: string; wanted: string } {
    if (githubError !== undefined) {
      throw new DomainError(
        'forbidden',
        'GITHUB_AUTHORIZATION_DENIED',
        'The app was not authorized on GitHub, so nothing proves control of an installation',
        [{ field: 'error', problem: `GitHub reported ${githubError}` }],
      );
    }
    if (setupAction === 'request') {
      throw new ConflictError(
        'GITHUB_INSTALLATION_PENDING',
        'An owner of the GitHub account has yet to approve the installation: link it once they have',
        [{ field: 'setup_action', problem: 'is request: the installation awaits approval' }],
      );
    }
    if (code === undefined) {
      throw new ValidationError('GitHub sent no authorization code', [
        {
          field: 'code',
          problem: "is required: enable 'Request user authorization (OAuth) during installation' for the app",
        },
      ]);
    }
    if (
      installationId !== undefined &&
      request.installationId !== null &&
      installationId !== request.installationId
    ) {
      throw new ValidationError('GitHub returned another installation than the link request names', [
        { field: 'installation_id', problem: 'is not the installation this link request names' },
      ]);
    }
    const wanted = installationId ?? request.installationId;
    if (wanted === null) {
      throw new ValidationError('No installation to link', [
        {
          field: 'installation_id',
          problem: 'is required: name it when starting a link to an installed app',
        },
      ]);
    }
    return { code, wanted };
  }

  private async link(
    request: GithubLinkRequest,
    actor: AuditContext,
    installation: AccessibleInstallation,
    githubLogin: string,
  ): Promise<LinkedGithubInstallation> {
    try {
      return await this.uow.transaction(
        SYSTEM_SCOPE,
        async ({ organizations, memberships, githubInstallations, audit }) => {
          // The state outlives nothing it was bound to: a deleted org, or a requester who left or lost the right.
          const org = await organizations.get(request.orgId);
          if (!org || org.deletedAt) {
            throw stateProblem(
              'gone',
              'GITHUB_LINK_STATE_EXPIRED',
              'The organization of this link request was deleted',
              'belongs to a deleted organization',
            );
          }
          const membership = await memberships.get(request.orgId, request.requestedBy);
          if (!membership || !can(membership.role, 'repos.connect')) {
            throw new ForbiddenError(
              'FORBIDDEN',
              'The user who started linking may no longer connect repositories in this organization',
            );
          }
          const linked = githubInstallations.add({
            installationId: installation.id,
            orgId: request.orgId,
            accountLogin: installation.accountLogin,
            accountType: installation.accountType,
          });
          audit.record(actor, {
            orgId: request.orgId,
            action: 'github_installation.linked',
            targetType: 'github_installation',
            targetId: installation.id,
            metadata: {
              account: installation.accountLogin,
              github_login: githubLogin,
              link_request_id: request.id,
              proof: 'github_user_installations',
            },
          });
          return linked;
        },
      );
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

  private async recordRefusal(
    request: GithubLinkRequest,
    actor: AuditContext,
    error: DomainError,
    { installationId, githubLogin }: { installationId: string | null; githubLogin: string | null },
  ): Promise<void> {
    try {
      await this.uow.transaction(SYSTEM_SCOPE, async ({ audit }) => {
        audit.record(actor, {
          orgId: request.orgId,
          action: 'github_installation.link_refused',
          targetType: 'github_installation',
          targetId: installationId,
          metadata: { link_request_id: request.id, error: error.code, github_login: githubLogin },
        });
      });
    } catch {
      // The refusal is the answer; its audit row is best effort and must not replace it.
    }
  }
}
