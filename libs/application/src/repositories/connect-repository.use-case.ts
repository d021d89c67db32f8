import {
  ConflictError,
  DomainError,
  NotFoundError,
  parseGitUrl,
  RateLimitedError,
  RepoRef,
  UniqueViolationError,
  ValidationError,
  type GitLogin,
  type GitLoginDirectory,
  type Repository,
  type RepositoryDescription,
  type RepositoryDirectory,
  type Stores,
  type UnitOfWork,
} from '@repoguard/domain';
import { installationNotLinked } from '../github-installations/installation-not-linked';
import type { OrgCaller } from '../shared/caller';
import { PerKeyLimit } from '../shared/per-key-limit';

/** Git checks one org may run at once: each may hold a git process for up to 10 s. */
export const GIT_CHECKS_PER_ORG = 2;
const GIT_CHECK_RETRY_AFTER_SECONDS = 10;
const UNREADABLE_PROBLEM = 'no readable repository with a default branch is there';

/** A GitHub repository by owner/name (or URL), optionally read through a linked App installation. */
export interface ConnectGithubRepositoryCommand {
  readonly caller: OrgCaller;
  readonly repo: string;
  readonly installationId?: string;
}

/** A repository on any git server, with the login it asks for, if any. */
export interface ConnectGitRepositoryCommand {
  readonly caller: OrgCaller;
  readonly gitUrl: string;
  readonly login?: GitLogin;
}

export type ConnectRepositoryCommand = ConnectGithubRepositoryCommand | ConnectGitRepositoryCommand;

interface NewConnection {
  readonly repo: Repository;
  readonly metadata: Record<string, unknown>;
  readonly alongside?: (() => Promise<void>) | undefined;
}

/**
 * Connects a repository once its provider shows it: checked first (GitHub's API, or `git
 * ls-remote` with the given login), then stored with its audit row (and its sealed login) in one
 * transaction. An org connects a repository once: REPO_ALREADY_CONNECTED otherwise. A git URL's
 * host is judged by the directory before anything connects; an org runs GIT_CHECKS_PER_ORG git
 * checks at once, one more is told to come back (429).
 */
export class ConnectRepository {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly directory: RepositoryDirectory,
    private readonly gitLogins: GitLoginDirectory,
    private readonly gitChecks = new PerKeyLimit(GIT_CHECKS_PER_ORG),
  ) {}

  execute(command: ConnectRepositoryCommand): Promise<Repository> {
    return 'gitUrl' in command ? this.connectGit(command) : this.connectGithub(command);
  }

  private async connectGithub({ caller, repo, installationId }: ConnectGithubRepositoryCommand) {
    const ref = RepoRef.parse(repo, 'repo');
    const { orgId } = caller;
    if (installationId !== undefined) {
      const linked = await this.uow.read(caller.scope, ({ githubInstallations }) =>
        githubInstallations.findLinked(orgId, installationId),
      );
      if (!linked) throw installationNotLinked();
    }
    const described = await this.directory
      .describeRepository({
        owner: ref.owner,
        name: ref.name,
        orgId,
        ...(installationId !== undefined ? { installationId } : {}),
      })
      .catch(asInputError('repo', `${ref.fullName} was not found on GitHub`));
    return this.insert(caller, described, 'repo', async ({ repositories }) => {
      if (await repositories.findGithub(orgId, described.owner, described.name)) return null;
      return {
        repo: repositories.add({
          orgId,
          owner: described.owner,
          name: described.name,
          defaultBranch: described.defaultBranch,
          externalId: described.externalId,
          installationId: installationId ?? null,
        }),
        metadata: {
          full_name: `${described.owner}/${described.name}`,
          default_branch: described.defaultBranch,
        },
      };
    });
  }

  private async connectGit({ caller, gitUrl, login }: ConnectGitRepositoryCommand) {
    const { orgId } = caller;
    const { owner, name } = parseGitUrl(gitUrl);
    // With a login: checked with it; it is sealed only once the repository exists.
    const directory = login ? this.gitLogins.withLogin(login) : this.directory;
    const release = this.gitChecks.tryAcquire(orgId);
    if (!release) {
      throw new RateLimitedError(
        `This organization already has ${GIT_CHECKS_PER_ORG} git repositories being checked; try again shortly`,
        GIT_CHECK_RETRY_AFTER_SECONDS,
      );
    }
    const described = await directory
      .describeRepository({ owner, name, orgId, gitUrl })
      .catch(unreadableGitRemote)
      .finally(release);
    return this.insert(caller, described, 'git_url', async ({ repositories, gitLogins }) => {
      if (await repositories.findByGitUrl(orgId, gitUrl)) return null;
      const repo = repositories.add({
        orgId,
        provider: 'git',
        owner: described.owner,
        name: described.name,
        defaultBranch: described.defaultBranch,
        gitUrl,
      });
      return {
        repo,
        metadata: {
          git_url: gitUrl,
          default_branch: described.defaultBranch,
          credentials: login !== undefined,
        },
        alongside: login ? () => gitLogins.seal(orgId, repo.id, login) : undefined,
      };
    });
  }

  /** The repository, its audit row and what goes `alongside` it in one transaction. */
  private async insert(
    caller: OrgCaller,
    described: RepositoryDescription,
    field: string,
    add: (stores: Stores) => Promise<NewConnection | null>,
  ): Promise<Repository> {
    try {
      return await this.uow.transaction(caller.scope, async (stores) => {
        const added = await add(stores);
        if (!added) throw alreadyConnected(described, field);
        stores.audit.record(caller.actor, {
          orgId: added.repo.orgId,
          action: 'repo.connected',
          targetType: 'repository',
          targetId: added.repo.id,
          metadata: added.metadata,
        });
        await added.alongside?.();
        return added.repo;
      });
    } catch (error) {
      // Two requests raced past the check: the loser hears what it would have heard a moment later.
      if (error instanceof UniqueViolationError) throw alreadyConnected(described, field);
      throw error;
    }
  }
}

/**
 * A repository the provider does not show: the request is well formed but names nothing there, so
 * the input cannot be accepted (422 naming the field).
 */
function asInputError(field: string, problem: string) {
  return (error: unknown): never => {
    if (error instanceof NotFoundError && error.code === 'REPO_NOT_FOUND') {
      throw new ValidationError(error.message, [{ field, problem }], 'REPO_NOT_FOUND');
    }
    throw error;
  };
}

/**
 * Whatever went wrong reading a git remote (nothing there, a refused login, a closed port, a
 * server that speaks no git, a timeout) is answered alike, so the answer tells no one which ports
 * of a host are open. A refusal before any connection (the host, the scheme) keeps its reason.
 */
function unreadableGitRemote(error: unknown): never {
  if (error instanceof DomainError && !(error instanceof ValidationError)) {
    throw new ValidationError(
      `git_url: ${UNREADABLE_PROBLEM}`,
      [{ field: 'git_url', problem: UNREADABLE_PROBLEM }],
      'REPO_NOT_FOUND',
    );
  }
  throw error;
}

function alreadyConnected(repo: RepositoryDescription, field: string): ConflictError {
  return new ConflictError(
    'REPO_ALREADY_CONNECTED',
    `${repo.owner}/${repo.name} is already connected to this organization`,
    [{ field, problem: 'is already connected' }],
  );
}
