import { SecretDecryptionError } from '../../crypto/secret-box';
import type { GithubAppInstallationTokens } from '../../github/github-app-installation-tokens';
import type { MikroOrmSecretStore } from './mikro-orm-secret-store';
import { RepositoryGithubCredentials } from './repository-github-credentials';

function fakes(orgToken: () => Promise<string | null>) {
  const reads: string[] = [];
  const issued: string[] = [];
  const secrets = {
    get: async (orgId: string) => {
      reads.push(orgId);
      return orgToken();
    },
  } as unknown as MikroOrmSecretStore;
  const app = {
    tokenFor: async (installationId: string) => {
      issued.push(installationId);
      return `installation-token-${issued.length}`;
    },
  } as unknown as GithubAppInstallationTokens;
  return { secrets, app, reads, issued };
}

const repo = { owner: 'acme', name: 'api', orgId: 'org-1', repoId: 'repo-1' };

describe('RepositoryGithubCredentials', () => {
  it("reads the org's stored token once per source, however many requests use it", async () => {
    const f = fakes(async () => 'org-token');
    const token = await new RepositoryGithubCredentials(f.secrets, f.app).tokenSourceFor(repo);
    expect([await token(), await token(), await token()]).toEqual(['org-token', 'org-token', 'org-token']);
    expect(f.reads).toEqual(['org-1']);
  });

  it("asks for an installation's token on each request, so one near expiry is renewed", async () => {
    const f = fakes(async () => 'org-token');
    const credentials = new RepositoryGithubCredentials(f.secrets, f.app);
    const token = await credentials.tokenSourceFor({ ...repo, installationId: '42' });
    expect([await token(), await token()]).toEqual(['installation-token-1', 'installation-token-2']);
    expect(f.issued).toEqual(['42', '42']);
    expect(f.reads).toEqual([]);
  });

  it('says GITHUB_TOKEN_UNREADABLE when the stored token cannot be decrypted', async () => {
    const f = fakes(() => Promise.reject(new SecretDecryptionError('unknown_key', 'no such key')));
    await expect(new RepositoryGithubCredentials(f.secrets, null).tokenSourceFor(repo)).rejects.toMatchObject(
      { code: 'GITHUB_TOKEN_UNREADABLE' },
    );
  });
});
