// The integration counters through the real adapters (Octokit, the OSV client) against the
// stand-ins: each HTTP attempt counted once, each failure under the reason an operator would name.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { startGithubStandIn, type GithubStandIn } from '../../../../test/stand-ins/github-stand-in';
import { startOsvStandIn, type OsvStandIn } from '../../../../test/stand-ins/osv-stand-in';
import { GithubAppInstallationTokens } from '../github/github-app-installation-tokens';
import { GithubManifestSource } from '../github/github-manifest-source';
import { OsvApiVulnerabilityDatabase } from '../osv/osv-api-vulnerability-database';
import { GITHUB_ANSWER_STATUSES, instrumentFetch } from './instrument-fetch';
import { IntegrationMetrics } from './integration-metrics';

describe('integration metrics through the adapters', () => {
  let osv: OsvStandIn;
  let github: GithubStandIn;
  let registry: Registry;
  let metrics: IntegrationMetrics;

  beforeAll(async () => {
    [osv, github] = await Promise.all([startOsvStandIn([]), startGithubStandIn()]);
  });
  afterAll(async () => {
    await Promise.all([osv?.close(), github?.close()]);
  });
  beforeEach(() => {
    osv.reset();
    registry = new Registry();
    metrics = new IntegrationMetrics(registry);
  });

  const counts = async () => {
    const requests = Object.fromEntries(
      (await metrics.requests.get()).values.map((v) => [v.labels.integration, v.value]),
    );
    const failures = Object.fromEntries(
      (await metrics.failures.get()).values.map((v) => [
        `${v.labels.integration}:${v.labels.reason}`,
        v.value,
      ]),
    );
    return { requests, failures };
  };
  const osvClient = (baseUrl = osv.url, timeoutMs = 5_000) =>
    new OsvApiVulnerabilityDatabase({ baseUrl, timeoutMs, fetch: instrumentFetch('osv', metrics) });
  const query = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.0' }] as const;

  it('OSV: 500, 429, a timeout and a refused connection each fail under their reason; a 404 is an answer', async () => {
    osv.failNext(1, 500);
    await expect(osvClient().queryBatch(query)).rejects.toMatchObject({ reason: '5xx' });
    osv.failNext(1, 429, { 'retry-after': '1' });
    await expect(osvClient().queryBatch(query)).rejects.toMatchObject({ reason: '429' });
    osv.hangNext();
    await expect(osvClient(osv.url, 150).queryBatch(query)).rejects.toMatchObject({ reason: 'timeout' });
    await expect(osvClient(await closedPortUrl()).queryBatch(query)).rejects.toMatchObject({
      reason: 'network',
    });
    await expect(osvClient().getVulnerability('GHSA-none-none-none')).rejects.toMatchObject({
      code: 'VULNERABILITY_NOT_FOUND',
    });
    await expect(osvClient().queryBatch(query)).resolves.toEqual([[]]);

    expect(await counts()).toEqual({
      requests: { github: 0, osv: 6 },
      failures: { 'osv:5xx': 1, 'osv:429': 1, 'osv:timeout': 1, 'osv:network': 1 },
    });
    const text = await registry.metrics();
    expect(text).toMatch(/^repoguard_integration_latency_seconds_count\{integration="osv"\} 6$/m);
  });

  it('GitHub through Octokit: rate-limit 403 is 429, 401 is auth, a missing repository is an answer', async () => {
    const source = new GithubManifestSource({
      baseUrl: github.url,
      timeoutMs: 5_000,
      fetch: instrumentFetch('github', metrics, fetch, { answers: GITHUB_ANSWER_STATUSES }),
    });
    await github.createRepo('acme', 'present');
    const repo = { owner: 'acme', name: 'present' };

    github.failNext(1, 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
    await expect(source.describeRepository(repo)).rejects.toMatchObject({ reason: '429' });
    github.failNext(1, 401);
    await expect(source.describeRepository(repo)).rejects.toMatchObject({ reason: 'auth' });
    github.failNext(1, 502);
    await expect(source.describeRepository(repo)).rejects.toMatchObject({ reason: '5xx' });
    await expect(source.describeRepository({ owner: 'acme', name: 'absent' })).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
    });
    await expect(source.describeRepository(repo)).resolves.toMatchObject({ defaultBranch: 'main' });

    expect(await counts()).toEqual({
      requests: { github: 5, osv: 0 },
      failures: { 'github:429': 1, 'github:auth': 1, 'github:5xx': 1 },
    });
  });

  it('GitHub App tokens: the request that never answers times out (Octokit 10 has no timeout of its own)', async () => {
    const app = github.createApp();
    const tokens = new GithubAppInstallationTokens({
      appId: app.appId,
      privateKey: app.privateKeyPem,
      baseUrl: github.url,
      timeoutMs: 150,
      fetch: instrumentFetch('github', metrics, fetch, { answers: GITHUB_ANSWER_STATUSES }),
    });
    github.hangNext();
    await expect(tokens.tokenFor('12345')).rejects.toThrow();
    expect((await counts()).failures).toEqual({ 'github:timeout': 1 });
  });
});

/** A loopback URL nothing listens on: the connection is refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
