import {
  UniqueViolationError,
  type GithubLinkRequest,
  type GithubUserAuthorization,
  type MembershipRecord,
  type NewGithubInstallation,
  type OrganizationRecord,
  type TokenIssuer,
} from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import {
  CompleteGithubInstallationLink,
  type CompleteGithubInstallationLinkCommand,
} from './complete-github-installation-link.use-case';

const STATE = 'rg_ghl_state';
const NOW = '2026-06-01T12:00:00.000Z';
const tokens: TokenIssuer = {
  issue: () => {
    throw new Error('not used');
  },
  hash: (token) => `hash:${token}`,
};
type Stores = ConstructorParameters<typeof FakeUnitOfWork>[0];

interface SetUp {
  request?: Partial<GithubLinkRequest>;
  org?: Partial<OrganizationRecord>;
  role?: MembershipRecord['role'] | null;
  /** The installations the GitHub user behind any code can access. */
  accessible?: string[];
  alreadyLinked?: boolean;
}

function setUp({
  request = {},
  org = {},
  role = 'admin',
  accessible = ['42'],
  alreadyLinked = false,
}: SetUp = {}) {
  const stored: GithubLinkRequest = {
    id: 'req-1',
    orgId: 'org-b',
    requestedBy: 'user-1',
    installationId: '42',
    expiresAt: new Date('2026-06-01T12:05:00.000Z'),
    usedAt: null,
    ...request,
  };
  const used: string[] = [];
  const added: NewGithubInstallation[] = [];
  const asked: { code: string; installationId: string }[] = [];
  const uow = new FakeUnitOfWork({
    githubLinkRequests: {
      add: () => stored,
      lockByStateHash: (hash) => Promise.resolve(hash === `hash:${STATE}` ? stored : null),
      markUsed: (id) => {
        used.push(id);
        return Promise.resolve();
      },
    },
    organizations: {
      get: (id: string) =>
        Promise.resolve({
          id,
          name: 'B',
          slug: 'b',
          rateLimitPerMinute: null,
          deletedAt: null,
          createdAt: new Date(),
          ...org,
        }),
    } as NonNullable<Stores['organizations']>,
    memberships: {
      get: (orgId: string, userId: string) =>
        Promise.resolve(role === null ? null : { orgId, userId, role, createdAt: new Date() }),
    } as NonNullable<Stores['memberships']>,
    githubInstallations: {
      add: (installation: NewGithubInstallation) => {
        if (alreadyLinked) throw new UniqueViolationError('github_installations_pkey');
        added.push(installation);
        return { ...installation, revokedAt: null, createdAt: new Date(NOW) };
      },
    } as NonNullable<Stores['githubInstallations']>,
  });
  const github: GithubUserAuthorization = {
    linkUrls: () => ({ installUrl: 'i', authorizeUrl: 'a' }),
    findAccessibleInstallation: (code, installationId) => {
      asked.push({ code, installationId });
      return Promise.resolve({
        githubLogin: 'octocat',
        installation: accessible.includes(installationId)
          ? { id: installationId, accountLogin: 'acme', accountType: 'Organization' }
          : null,
      });
    },
  };
  const complete = new CompleteGithubInstallationLink(uow, github, tokens, fixedClock(NOW));
  return { uow, complete, used, added, asked };
}

const command: CompleteGithubInstallationLinkCommand = {
  state: STATE,
  code: 'code-1',
  correlationId: 'c1',
  ip: '10.0.0.1',
};
const actor = { actorType: 'user', actorId: 'user-1', correlationId: 'c1', ip: '10.0.0.1' };

describe('CompleteGithubInstallationLink', () => {
  it("links the installation the GitHub user can access into the state's org, in the requester's name", async () => {
    const { uow, complete, used, added, asked } = setUp();
    const result = await complete.execute({ ...command, installationId: '42', setupAction: 'install' });
    expect(result).toMatchObject({
      githubLogin: 'octocat',
      installation: { installationId: '42', orgId: 'org-b' },
    });
    expect(asked).toEqual([{ code: 'code-1', installationId: '42' }]);
    expect(used).toEqual(['req-1']);
    expect(added).toEqual([
      { installationId: '42', orgId: 'org-b', accountLogin: 'acme', accountType: 'Organization' },
    ]);
    expect(uow.scopes.every((scope) => scope === 'system')).toBe(true);
    expect(uow.audited).toEqual([
      {
        orgId: 'org-b',
        action: 'github_installation.linked',
        targetType: 'github_installation',
        targetId: '42',
        metadata: {
          account: 'acme',
          github_login: 'octocat',
          link_request_id: 'req-1',
          proof: 'github_user_installations',
        },
        actor,
      },
    ]);
  });

  it('refuses an installation the GitHub user cannot access, and audits the refusal in that org', async () => {
    const { uow, complete, used, added } = setUp({ accessible: ['7'] });
    await expect(complete.execute(command)).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'GITHUB_INSTALLATION_NOT_ACCESSIBLE',
      details: [{ field: 'installation_id' }],
    });
    expect(added).toEqual([]);
    expect(used).toEqual(['req-1']); // spent all the same: no second try with another code
    expect(uow.audited).toEqual([
      expect.objectContaining({
        orgId: 'org-b',
        action: 'github_installation.link_refused',
        metadata: {
          link_request_id: 'req-1',
          error: 'GITHUB_INSTALLATION_NOT_ACCESSIBLE',
          github_login: 'octocat',
        },
        actor,
      }),
    ]);
  });

  it.each([
    ['not a link state at all', 'rg_inv_state', 'GITHUB_LINK_STATE_INVALID'],
    ['a link state never issued', 'rg_ghl_other', 'GITHUB_LINK_STATE_INVALID'],
  ])(
    'refuses %s (422 naming state) without asking GitHub or writing anything',
    async (_case, state, code) => {
      const { uow, complete, used, asked } = setUp();
      await expect(complete.execute({ ...command, state })).rejects.toMatchObject({
        kind: 'invalid',
        code,
        details: [{ field: 'state' }],
      });
      expect([asked, used, uow.audited]).toEqual([[], [], []]);
    },
  );

  it.each([
    ['used', { usedAt: new Date('2026-06-01T11:59:00.000Z') }, 'GITHUB_LINK_STATE_USED'],
    ['expired', { expiresAt: new Date(NOW) }, 'GITHUB_LINK_STATE_EXPIRED'],
  ])('refuses a state already %s (410) without asking GitHub', async (_case, request, code) => {
    const { uow, complete, used, asked, added } = setUp({ request });
    await expect(complete.execute(command)).rejects.toMatchObject({ kind: 'gone', code });
    expect([asked, used, added]).toEqual([[], [], []]);
    expect(uow.audited).toMatchObject([
      { action: 'github_installation.link_refused', metadata: { error: code } },
    ]);
  });

  it.each([
    ['names another installation than the request', { installationId: '43' }, {}, 'installation_id'],
    ['names no installation, nor does the request', {}, { installationId: null }, 'installation_id'],
    ['brings no code', { code: undefined }, {}, 'code'],
  ])('refuses a callback that %s (422) without asking GitHub', async (_case, change, request, field) => {
    const { complete, asked, added } = setUp({ request });
    const { code: _code, ...withoutCode } = command;
    const sent = 'code' in change ? withoutCode : { ...command, ...change };
    await expect(complete.execute(sent)).rejects.toMatchObject({ kind: 'invalid', details: [{ field }] });
    expect([asked, added]).toEqual([[], []]);
  });

  it('refuses a declined authorization and an installation awaiting approval', async () => {
    await expect(
      setUp().complete.execute({ ...command, githubError: 'access_denied' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'GITHUB_AUTHORIZATION_DENIED',
    });
    await expect(setUp().complete.execute({ ...command, setupAction: 'request' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'GITHUB_INSTALLATION_PENDING',
    });
  });

  it.each([
    ['the requester is now a viewer', { role: 'viewer' as const }, 'FORBIDDEN'],
    ['the requester left the org', { role: null }, 'FORBIDDEN'],
    [
      'the org was deleted',
      { org: { deletedAt: new Date('2026-06-01T11:00:00.000Z') } },
      'GITHUB_LINK_STATE_EXPIRED',
    ],
  ])('links nothing when %s', async (_case, change, code) => {
    const { complete, added } = setUp(change);
    await expect(complete.execute(command)).rejects.toMatchObject({ code });
    expect(added).toEqual([]);
  });

  it('refuses an installation linked to an org already (409)', async () => {
    const { uow, complete } = setUp({ alreadyLinked: true });
    await expect(complete.execute(command)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'GITHUB_INSTALLATION_ALREADY_LINKED',
    });
    expect(uow.audited.map((row) => row.action)).toEqual(['github_installation.link_refused']);
  });
});
