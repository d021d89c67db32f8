import type { GithubCredentials } from '@repoguard/domain';
import { OrgCredentialsGithubSource } from './org-credentials-github-source';

const REPO = { owner: 'acme', name: 'app', orgId: '11111111-1111-4111-8111-111111111111' };

/** GitHub answering GET /repos/acme/app with `fields`, recording each request and its token. */
function github(fields: Record<string, unknown>) {
  const seen: { path: string; auth: string | null }[] = [];
  const fetchStub: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    seen.push({ path: url.pathname, auth: headers.get('authorization') });
    const body = { id: 7, name: 'app', owner: { login: 'acme' }, default_branch: 'main', ...fields };
    return Promise.resolve(
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
  };
  return { seen, fetch: fetchStub };
}

function source(
  fields: Record<string, unknown>,
  { instanceToken, orgToken }: { instanceToken?: string; orgToken?: string } = {},
) {
  const gh = github(fields);
  const credentials: GithubCredentials = {
    tokenSourceFor: () => Promise.resolve(() => Promise.resolve(orgToken ?? null)),
  };
  const directory = new OrgCredentialsGithubSource(
    { baseUrl: 'https://github.test', fetch: gh.fetch, ...(instanceToken ? { token: instanceToken } : {}) },
    credentials,
  );
  return { directory, seen: gh.seen };
}

describe('OrgCredentialsGithubSource and the instance token', () => {
  it('uses the instance token for a public repository', async () => {
    const { directory, seen } = source({ private: false, visibility: 'public' }, { instanceToken: 'ghp_op' });
    await expect(directory.describeRepository(REPO)).resolves.toMatchObject({ defaultBranch: 'main' });
    await expect(directory.forRepository(REPO)).resolves.toBeDefined();
    expect(seen).toEqual([
      { path: '/repos/acme/app', auth: 'token ghp_op' },
      { path: '/repos/acme/app', auth: 'token ghp_op' },
    ]);
  });

  it.each([
    ['private', { private: true, visibility: 'private' }],
    ['internal', { private: true, visibility: 'internal' }],
    ['internal, whatever `private` says', { private: false, visibility: 'internal' }],
    ['private on a server without `visibility`', { private: true }],
    ['of unknown visibility', {}],
  ])('refuses a repository that is %s, at connect and at scan', async (_what, fields) => {
    const { directory, seen } = source(fields, { instanceToken: 'ghp_op' });
    await expect(directory.describeRepository(REPO)).rejects.toMatchObject({
      code: 'GITHUB_ORG_CREDENTIALS_REQUIRED',
    });
    await expect(directory.forRepository(REPO)).rejects.toMatchObject({
      code: 'GITHUB_ORG_CREDENTIALS_REQUIRED',
    });
    // Only the repository's metadata was asked for.
    expect(seen.map((s) => s.path)).toEqual(['/repos/acme/app', '/repos/acme/app']);
  });

  it("reads a private repository with the org's own token, without asking first", async () => {
    const { directory, seen } = source(
      { private: true, visibility: 'private' },
      { instanceToken: 'ghp_op', orgToken: 'ghp_org' },
    );
    await expect(directory.describeRepository(REPO)).resolves.toMatchObject({ owner: 'acme' });
    await directory.forRepository(REPO);
    expect(seen).toEqual([{ path: '/repos/acme/app', auth: 'token ghp_org' }]);
  });

  it('asks nothing more without an instance token: anonymous access sees public repositories only anyway', async () => {
    const { directory, seen } = source({ private: true });
    await directory.forRepository(REPO);
    expect(seen).toEqual([]);
  });
});
