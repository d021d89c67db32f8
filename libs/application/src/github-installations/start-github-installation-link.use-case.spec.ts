import {
  DomainError,
  type GithubUserAuthorization,
  type NewGithubLinkRequest,
  type TokenIssuer,
} from '@repoguard/domain';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import type { OrgCaller } from '../shared/caller';
import { StartGithubInstallationLink } from './start-github-installation-link.use-case';

const NOW = '2026-06-01T12:00:00.000Z';
const tokens: TokenIssuer = {
  issue: (kind) => ({ token: `rg_ghl_${kind}-secret`, hash: 'state-hash', prefix: 'rg_ghl_' }),
  hash: (token) => `hash:${token}`,
};
const caller = (actorType: 'user' | 'api_key'): OrgCaller => ({
  scope: { orgIds: ['org-b'] },
  actor: { actorType, actorId: `${actorType}-1`, correlationId: 'c1', ip: null },
  orgId: 'org-b',
  role: 'admin',
});

function setUp(configured = true) {
  const added: NewGithubLinkRequest[] = [];
  const uow = new FakeUnitOfWork({
    githubLinkRequests: {
      add: (request) => {
        added.push(request);
        return { ...request, id: 'req-1', usedAt: null };
      },
      lockByStateHash: () => Promise.resolve(null),
      markUsed: () => Promise.resolve(),
    },
  });
  const github: GithubUserAuthorization = {
    linkUrls: (state) => {
      if (!configured) throw new DomainError('unavailable', 'GITHUB_APP_NOT_CONFIGURED', 'no client');
      return { installUrl: `install?state=${state}`, authorizeUrl: `authorize?state=${state}` };
    },
    findAccessibleInstallation: () => Promise.reject(new Error('not used')),
  };
  return { uow, added, start: new StartGithubInstallationLink(uow, github, tokens, fixedClock(NOW)) };
}

describe('StartGithubInstallationLink', () => {
  it('stores only the hash of a single-use state bound to the org, the user and ten minutes', async () => {
    const { uow, added, start } = setUp();
    const started = await start.execute({ caller: caller('user'), installationId: '42' });
    expect(started).toEqual({
      id: 'req-1',
      installUrl: 'install?state=rg_ghl_github_link-secret',
      authorizeUrl: 'authorize?state=rg_ghl_github_link-secret',
      expiresAt: new Date('2026-06-01T12:10:00.000Z'),
    });
    expect(added).toEqual([
      {
        orgId: 'org-b',
        requestedBy: 'user-1',
        installationId: '42',
        stateHash: 'state-hash',
        expiresAt: new Date('2026-06-01T12:10:00.000Z'),
      },
    ]);
    expect(uow.scopes).toEqual([{ orgIds: ['org-b'] }]);
    expect(uow.audited).toMatchObject([{ action: 'github_installation.link_requested', targetId: '42' }]);
  });

  it('refuses an API key (a person proves control on GitHub), writing nothing', async () => {
    const { uow, added, start } = setUp();
    await expect(start.execute({ caller: caller('api_key') })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'PERSONAL_TOKEN_REQUIRED',
    });
    expect([added, uow.audited]).toEqual([[], []]);
  });

  it('writes nothing when the app has no OAuth client', async () => {
    const { added, start } = setUp(false);
    await expect(start.execute({ caller: caller('user') })).rejects.toMatchObject({
      code: 'GITHUB_APP_NOT_CONFIGURED',
    });
    expect(added).toEqual([]);
  });
});
