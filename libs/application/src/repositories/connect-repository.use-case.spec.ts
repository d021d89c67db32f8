import {
  IntegrationUnavailableError,
  UniqueViolationError,
  NotFoundError,
  ValidationError,
  type GitLogin,
  type GithubInstallationRepository,
  type NewRepository,
  type RepoRepository,
  type Repository,
  type RepositoryDirectory,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import { PerKeyLimit } from '../shared/per-key-limit';
import { ConnectRepository, GIT_CHECKS_PER_ORG } from './connect-repository.use-case';

const ORG = '00000000-0000-4000-8000-000000000001';
const caller: OrgCaller = {
  scope: { orgIds: [ORG] },
  actor: { actorType: 'user', actorId: 'u1', correlationId: 'c1', ip: null },
  orgId: ORG,
  role: 'admin',
};

class InMemoryRepos implements Partial<RepoRepository> {
  readonly rows: Repository[] = [];

  add(repo: NewRepository): Repository {
    const row: Repository = {
      id: `repo-${this.rows.length + 1}`,
      provider: 'github',
      externalId: null,
      gitUrl: null,
      installationId: null,
      status: 'PENDING',
      statusReevaluateAt: null,
      lastScanAt: null,
      disabledAt: null,
      disabledReason: null,
      createdAt: new Date(),
      ...repo,
    };
    this.rows.push(row);
    return row;
  }

  findGithub(orgId: string, owner: string, name: string): Promise<Repository | null> {
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    const found = this.rows.find(
      (r) => r.orgId === orgId && r.provider === 'github' && same(r.owner, owner) && same(r.name, name),
    );
    return Promise.resolve(found ?? null);
  }

  findByGitUrl(orgId: string, gitUrl: string): Promise<Repository | null> {
    return Promise.resolve(this.rows.find((r) => r.orgId === orgId && r.gitUrl === gitUrl) ?? null);
  }
}

const github: RepositoryDirectory = {
  describeRepository: (repo) =>
    repo.name === 'missing'
      ? Promise.reject(new NotFoundError('REPO_NOT_FOUND', 'Not Found'))
      : Promise.resolve({ owner: repo.owner, name: repo.name, defaultBranch: 'main', externalId: '42' }),
};

function setUp(linked: string[] = []) {
  const repos = new InMemoryRepos();
  const sealed: { repoId: string; login: GitLogin }[] = [];
  const checkedWith: GitLogin[] = [];
  const uow = new FakeUnitOfWork({
    repositories: repos as unknown as RepoRepository,
    githubInstallations: {
      findLinked: (orgId: string, installationId: string) =>
        Promise.resolve(
          linked.includes(installationId)
            ? {
                installationId,
                orgId,
                accountLogin: 'acme',
                accountType: 'Organization',
                revokedAt: null,
                createdAt: new Date(),
              }
            : null,
        ),
    } as unknown as GithubInstallationRepository,
    gitLogins: {
      seal: (_orgId, repoId, login) => {
        sealed.push({ repoId, login });
        return Promise.resolve();
      },
    },
  });
  const gitLogins = {
    withLogin: (login: GitLogin): RepositoryDirectory => {
      checkedWith.push(login);
      return github;
    },
  };
  return { repos, sealed, checkedWith, uow, connect: new ConnectRepository(uow, github, gitLogins) };
}

describe('ConnectRepository', () => {
  it('connects a GitHub repository as the provider names it, with its audit row', async () => {
    const { connect, uow } = setUp();
    const repo = await connect.execute({ caller, repo: 'https://github.com/Acme/API.git' });
    expect(repo).toMatchObject({
      orgId: ORG,
      owner: 'Acme',
      name: 'API',
      defaultBranch: 'main',
      externalId: '42',
    });
    expect(uow.audited).toEqual([
      expect.objectContaining({
        action: 'repo.connected',
        targetId: repo.id,
        metadata: { full_name: 'Acme/API', default_branch: 'main' },
        actor: caller.actor,
      }),
    ]);
  });

  it('refuses a repository the org already connected (409 REPO_ALREADY_CONNECTED), writing nothing', async () => {
    const { connect, repos, uow } = setUp();
    await connect.execute({ caller, repo: 'acme/api' });
    const twice = connect.execute({ caller, repo: 'ACME/Api' });
    await expect(twice).rejects.toMatchObject({
      kind: 'conflict',
      code: 'REPO_ALREADY_CONNECTED',
      details: [{ field: 'repo', problem: 'is already connected' }],
    });
    expect(repos.rows).toHaveLength(1);
    expect(uow.audited).toHaveLength(1);
  });

  it('answers a lost race (a unique violation at commit) the same way', async () => {
    const { repos, uow, connect } = setUp();
    repos.add = () => {
      throw new UniqueViolationError('duplicate key value violates unique constraint');
    };
    await expect(connect.execute({ caller, repo: 'acme/api' })).rejects.toMatchObject({
      code: 'REPO_ALREADY_CONNECTED',
    });
    expect(uow.audited).toHaveLength(0);
  });

  it('names the field when the provider does not show the repository (422 REPO_NOT_FOUND)', async () => {
    const { connect } = setUp();
    await expect(connect.execute({ caller, repo: 'acme/missing' })).rejects.toMatchObject({
      kind: 'invalid',
      code: 'REPO_NOT_FOUND',
      details: [{ field: 'repo', problem: 'acme/missing was not found on GitHub' }],
    });
  });

  it('reads through an installation only when it is linked to the org', async () => {
    const { connect } = setUp(['7']);
    await expect(connect.execute({ caller, repo: 'acme/api', installationId: '8' })).rejects.toMatchObject({
      code: 'GITHUB_INSTALLATION_NOT_FOUND',
    });
    await expect(connect.execute({ caller, repo: 'acme/api', installationId: '7' })).resolves.toMatchObject({
      installationId: '7',
    });
  });

  it('checks a git repository with the login given, and seals it with the repository', async () => {
    const { connect, sealed, checkedWith, uow } = setUp();
    const login = { username: 'scanner', password: 's3cret' };
    const gitUrl = 'https://git.example.com/platform/api.git';
    const repo = await connect.execute({ caller, gitUrl, login });
    expect(repo).toMatchObject({ provider: 'git', gitUrl, owner: 'git.example.com/platform', name: 'api' });
    expect(checkedWith).toEqual([login]);
    expect(sealed).toEqual([{ repoId: repo.id, login }]);
    expect(uow.audited[0]?.metadata).toEqual({ git_url: gitUrl, default_branch: 'main', credentials: true });
    await expect(connect.execute({ caller, gitUrl })).rejects.toMatchObject({
      code: 'REPO_ALREADY_CONNECTED',
      details: [{ field: 'git_url', problem: 'is already connected' }],
    });
  });

  describe('a git URL', () => {
    const failing = (error: Error): RepositoryDirectory => ({
      describeRepository: () => Promise.reject(error),
    });

    it('answers every failure to read the remote alike, so no answer tells an open port from a closed one', async () => {
      const failures = [
        new NotFoundError('REPO_NOT_FOUND', 'git ls-remote: fatal: repository not found'),
        new NotFoundError('REF_NOT_FOUND', 'https://10.0.0.1/x.git has no default branch'),
        new IntegrationUnavailableError(
          'git',
          'network',
          'Failed to connect to 10.0.0.1 port 22: Connection refused',
        ),
        new IntegrationUnavailableError('git', 'timeout', 'git ls-remote took over 10000 ms'),
        new IntegrationUnavailableError(
          'git',
          'other',
          'git ls-remote failed: SSL routines::wrong version number',
        ),
        new IntegrationUnavailableError('git', 'network', 'could not resolve host git.example.com'),
      ];
      const answers: unknown[] = [];
      for (const failure of failures) {
        const { uow, repos } = setUp();
        const connect = new ConnectRepository(uow, failing(failure), { withLogin: () => failing(failure) });
        const error = (await connect
          .execute({ caller, gitUrl: 'https://git.example.com/a/b.git' })
          .catch((e: unknown) => e)) as ValidationError;
        answers.push({ kind: error.kind, code: error.code, message: error.message, details: error.details });
        expect([repos.rows, uow.audited]).toEqual([[], []]);
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]).toEqual({
        kind: 'invalid',
        code: 'REPO_NOT_FOUND',
        message: 'git_url: no readable repository with a default branch is there',
        details: [{ field: 'git_url', problem: 'no readable repository with a default branch is there' }],
      });
    });

    it('keeps the reason of a refusal made before anything connected (a forbidden host)', async () => {
      const refused = new ValidationError(
        'git_url host 127.0.0.1 is a loopback address',
        [{ field: 'git_url', problem: 'host 127.0.0.1 is a loopback address' }],
        'GIT_URL_HOST_FORBIDDEN',
      );
      const { uow } = setUp();
      const connect = new ConnectRepository(uow, failing(refused), { withLogin: () => failing(refused) });
      await expect(connect.execute({ caller, gitUrl: 'https://127.0.0.1/a/b.git' })).rejects.toBe(refused);
    });

    it(`checks at most ${GIT_CHECKS_PER_ORG} remotes per org at once; one more is told to retry (429), others are not held`, async () => {
      const pending: (() => void)[] = [];
      const slow: RepositoryDirectory = {
        describeRepository: (repo) =>
          new Promise((resolve, reject) =>
            pending.push(() =>
              repo.name === 'broken'
                ? reject(new IntegrationUnavailableError('git', 'timeout', 'took too long'))
                : resolve({ owner: repo.owner, name: repo.name, defaultBranch: 'main', externalId: null }),
            ),
          ),
      };
      const { uow } = setUp();
      const limit = new PerKeyLimit(GIT_CHECKS_PER_ORG);
      const connect = new ConnectRepository(uow, slow, { withLogin: () => slow }, limit);
      const other = { ...caller, orgId: 'other-org', scope: { orgIds: ['other-org'] } };
      const first = connect.execute({ caller, gitUrl: 'https://git.example.com/a/one.git' });
      const second = connect.execute({ caller, gitUrl: 'https://git.example.com/a/broken.git' });
      const elsewhere = connect.execute({ caller: other, gitUrl: 'https://git.example.com/a/one.git' });
      await expect(
        connect.execute({ caller, gitUrl: 'https://git.example.com/a/three.git' }),
      ).rejects.toMatchObject({
        kind: 'rate_limited',
        code: 'RATE_LIMITED',
        retryAfterSeconds: 10,
      });
      expect([limit.holders(caller.orgId), limit.holders('other-org')]).toEqual([2, 1]);
      pending.splice(0).forEach((settle) => settle());
      await expect(first).resolves.toMatchObject({ name: 'one' });
      await expect(second).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });
      await expect(elsewhere).resolves.toMatchObject({ orgId: 'other-org' });
      // A failed check gives its place back as a successful one does.
      expect([limit.holders(caller.orgId), limit.holders('other-org')]).toEqual([0, 0]);
      const again = connect.execute({ caller, gitUrl: 'https://git.example.com/a/three.git' });
      pending.splice(0).forEach((settle) => settle());
      await expect(again).resolves.toMatchObject({ name: 'three' });
    });
  });
});
