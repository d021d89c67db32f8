// Private repositories through a GitHub App installation: the worker reads them with short-lived
// installation tokens it refreshes, and a removed installation fails the scan at once.
import { GithubAppInstallationTokens, RepositoryEntity } from '@repoguard/infrastructure';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';

describe('scanning through a GitHub App installation', () => {
  let harness: ScanHarness;

  beforeAll(async () => {
    harness = await startScanHarness({ name: 'github-app', advisories: [], withGithubApp: true });
  });
  afterAll(async () => harness?.close());

  const accessTokenRequests = () =>
    harness.github.requests.filter((r) => r.method === 'POST' && /\/access_tokens$/.test(r.path)).length;

  it('issues a token, reuses it until shortly before expiry, then takes a new one', async () => {
    await harness.github.createRepo('app-org', 'cached', { privateToken: 'nobody-has-this-token' });
    const installation = harness.github.createInstallation('app-org', ['app-org/cached']);
    let now = Date.now();
    const tokens = new GithubAppInstallationTokens({
      appId: harness.githubApp!.appId,
      privateKey: harness.githubApp!.privateKeyPem,
      baseUrl: harness.github.url,
      refreshMarginMs: 60_000,
      now: () => now,
    });
    const before = accessTokenRequests();
    const first = await tokens.tokenFor(String(installation));
    expect(first).toMatch(/^ghs_/);
    expect(await tokens.tokenFor(String(installation))).toBe(first);
    expect(accessTokenRequests() - before).toBe(1);

    now += 3_600_000 - 30_000; // within the margin of the hour-long token's expiry
    const second = await tokens.tokenFor(String(installation));
    expect(second).not.toBe(first);
    expect(accessTokenRequests() - before).toBe(2);
  });

  it('says GITHUB_INSTALLATION_REVOKED for a removed installation', async () => {
    await harness.github.createRepo('gone-org', 'repo');
    const installation = harness.github.createInstallation('gone-org', ['gone-org/repo']);
    harness.github.revokeInstallation(installation);
    const tokens = new GithubAppInstallationTokens({
      appId: harness.githubApp!.appId,
      privateKey: harness.githubApp!.privateKeyPem,
      baseUrl: harness.github.url,
    });
    await expect(tokens.tokenFor(String(installation))).rejects.toMatchObject({
      code: 'GITHUB_INSTALLATION_REVOKED',
    });
  });

  it('scans a private repository with installation tokens; after the app is removed the scan fails at once', async () => {
    const repo = await harness.github.createRepo('app-org', 'private-web', {
      privateToken: 'nobody-has-this-token',
    });
    await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
    const installation = harness.github.createInstallation('app-org', ['app-org/private-web']);
    // Tokens that expire within the refresh margin: every read of the scan takes a fresh one.
    harness.github.setInstallationTokenTtl(30_000);
    const target = await harness.connectRepo('app-org', 'private-web');
    const em = harness.orm.em.fork();
    await em.nativeUpdate(RepositoryEntity, { id: target.repoId }, { installationId: String(installation) });

    const before = accessTokenRequests();
    await harness.request(target);
    expect(await harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', errorCode: null });
    expect(accessTokenRequests() - before).toBeGreaterThan(1);

    harness.github.revokeInstallation(installation);
    await repo.commit({ 'requirements.txt': 'requests==2.20.0\n' }, 'after the app was removed');
    await harness.request(target);
    expect(await harness.waitForScan(target)).toMatchObject({
      phase: 'FAILED',
      errorCode: 'GITHUB_INSTALLATION_REVOKED',
    });
    // Not retried: the fetch step ran once.
    const handle = harness.temporal.client.workflow.getHandle(`repo-scan:${target.repoId}`);
    const history = await handle.fetchHistory();
    const fetchAttempts = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchManifest',
    ).length;
    expect(fetchAttempts).toBe(1);
    const started = (history.events ?? [])
      .filter((e) => e.activityTaskStartedEventAttributes)
      .map((e) => e.activityTaskStartedEventAttributes!.attempt);
    expect(started[0]).toBe(1);
  });
});
