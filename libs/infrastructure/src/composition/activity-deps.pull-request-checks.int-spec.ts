import { randomBytes, randomUUID } from 'node:crypto';
import type { ManifestParserPool } from '@repoguard/domain';
import { startGithubStandIn, type GithubStandIn } from '../../../../test/stand-ins/github-stand-in';
import { AesGcmSecretBox } from '../crypto/secret-box';
import { RepositoryEntity } from '../persistence/entities';
import { MikroOrmSecretStore } from '../persistence/repositories/mikro-orm-secret-store';
import { ormPerSuite, storedRepository } from '../persistence/stored-repository.test-helper';
import { buildActivityDeps } from './activity-deps.factory';

// The worker's pullRequestCheckPublisher as the factory wires it: the repository's row says whether
// the App reaches it (a check run with the installation's token) or the org's sealed token does (a
// commit status).

const orm = ormPerSuite();
let github: GithubStandIn;

beforeAll(async () => {
  github = await startGithubStandIn();
});
afterAll(async () => github.close());

describe('buildActivityDeps: pullRequestCheckPublisher', () => {
  it('publishes a check run through the installation and a status through the org token', async () => {
    const owner = `acme-${randomUUID().slice(0, 8)}`;
    const web = await github.createRepo(owner, 'web');
    const webSha = await web.commit({ 'package-lock.json': '{}\n' });
    const tools = await github.createRepo(owner, 'tools', { privateToken: 'org-pat' });
    const toolsSha = await tools.commit({ 'go.mod': 'module tools\n' });
    const app = github.createApp();
    const installationId = github.createInstallation(owner, [`${owner}/web`]);
    const key = randomBytes(32).toString('base64');

    const viaApp = await storedRepository(orm(), 'checks-app');
    const viaToken = await storedRepository(orm(), 'checks-token');
    const em = orm().em.fork();
    await em.nativeUpdate(
      RepositoryEntity,
      { id: viaApp.repoId },
      { owner, name: 'web', installationId: String(installationId) },
    );
    await em.nativeUpdate(RepositoryEntity, { id: viaToken.repoId }, { owner, name: 'tools' });
    await new MikroOrmSecretStore(em, AesGcmSecretBox.fromConfig(key)).put(
      viaToken.orgId,
      'github_token',
      null,
      'org-pat',
    );

    const { pullRequestCheckPublisher } = buildActivityDeps(orm().em, {
      workerIdentity: 'pr-checks',
      githubApiUrl: github.url,
      osvApiUrl: 'http://127.0.0.1:9',
      timeoutMs: 5_000,
      // Never used by the publisher; the factory only keeps it.
      parserPool: {} as ManifestParserPool,
      githubApp: { appId: app.appId, privateKey: app.privateKeyPem },
      encryption: { key },
    });
    const report = (headSha: string) => ({
      name: 'RepoGuard',
      headSha,
      status: 'completed' as const,
      conclusion: 'failure' as const,
      title: '1 new vulnerability, 0 resolved',
      summary: '**FAIL**',
      annotations: [],
      detailsUrl: null,
      externalId: randomUUID(),
      offerAcceptRisk: true,
    });

    const run = await pullRequestCheckPublisher.publish(
      { ...viaApp, owner, name: 'web', checkRunId: null },
      report(webSha),
    );
    const status = await pullRequestCheckPublisher.publish(
      { ...viaToken, owner, name: 'tools', checkRunId: null },
      report(toolsSha),
    );

    expect(run).toEqual({ delivery: 'check_run', checkRunId: expect.stringMatching(/^\d+$/) });
    expect(github.checkRuns(`${owner}/web`)).toMatchObject([{ headSha: webSha, conclusion: 'failure' }]);
    expect(status).toEqual({ delivery: 'commit_status', checkRunId: null });
    expect(github.statuses(`${owner}/tools`)).toMatchObject([
      { sha: toolsSha, state: 'failure', context: 'RepoGuard' },
    ]);
  });
});
