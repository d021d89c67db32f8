import {
  ForbiddenError,
  type Clock,
  type GithubUserAuthorization,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface StartGithubInstallationLinkCommand {
  readonly caller: OrgCaller;
  /** The installation to link when the app is already installed: GitHub's authorize step names none. */
  readonly installationId?: string;
}

export interface GithubInstallationLinkStarted {
  readonly id: string;
  /** Install the app (GitHub then returns to the setup URL with the installation and a code). */
  readonly installUrl: string;
  /** Authorize the app when it is already installed (the request must name the installation). */
  readonly authorizeUrl: string;
  readonly expiresAt: Date;
}

/** Long enough to install an app on GitHub, short enough that a leaked URL is soon worthless. */
export const GITHUB_LINK_TTL_MS = 10 * 60_000;

/**
 * Starts linking a GitHub App installation: a single-use `state`, bound to the org and the user
 * asking, that GitHub hands back to the setup URL. Only the proof GitHub gives there links anything.
 */
export class StartGithubInstallationLink {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly github: GithubUserAuthorization,
    private readonly tokens: TokenIssuer,
    private readonly clock: Clock,
  ) {}

  async execute({
    caller,
    installationId,
  }: StartGithubInstallationLinkCommand): Promise<GithubInstallationLinkStarted> {
    const userId = caller.actor.actorType === 'user' ? caller.actor.actorId : null;
    if (!userId) {
      throw new ForbiddenError(
        'PERSONAL_TOKEN_REQUIRED',
        'A person links an installation (and proves it on GitHub): use a personal token, not an API key',
      );
    }
    const issued = this.tokens.issue('github_link');
    // Refuses when the app has no OAuth client, before anything is written.
    const urls = this.github.linkUrls(issued.token);
    const expiresAt = new Date(this.clock.now().getTime() + GITHUB_LINK_TTL_MS);
    const request = await this.uow.transaction(caller.scope, async ({ githubLinkRequests, audit }) => {
      const added = githubLinkRequests.add({
        orgId: caller.orgId,
        requestedBy: userId,
        installationId: installationId ?? null,
        stateHash: issued.hash,
        expiresAt,
      });
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'github_installation.link_requested',
        targetType: 'github_installation',
        targetId: installationId ?? null,
        metadata: { link_request_id: added.id, expires_at: expiresAt.toISOString() },
      });
      return added;
    });
    return { id: request.id, ...urls, expiresAt };
  }
}
