import { randomUUID } from 'node:crypto';
import {
  ACCEPT_RISK_ACTION,
  DomainError,
  IntegrationUnavailableError,
  type CheckAnnotation,
  type CheckPublishTarget,
  type PullRequestCheckReport,
} from '@repoguard/domain';
import { startGithubStandIn, type GithubStandIn } from '../../../../test/stand-ins/github-stand-in';
import { GithubAppInstallationTokens } from './github-app-installation-tokens';
import {
  ACCEPT_RISK_LABEL,
  GithubPullRequestCheckPublisher,
  type CheckCredentials,
} from './github-pull-request-check-publisher';

// The adapter against the GitHub stand-in's Checks API and statuses, which enforce GitHub's limits.

let github: GithubStandIn;

beforeEach(async () => {
  github = await startGithubStandIn();
});

afterEach(async () => {
  await github.close();
});

const annotations = (count: number): CheckAnnotation[] =>
  Array.from({ length: count }, (_, i) => ({
    path: 'package-lock.json',
    startLine: i + 1,
    endLine: i + 1,
    level: 'failure' as const,
    title: `GHSA-${i} (HIGH) in pkg-${i}@1.0.0`,
    message: `Advisory ${i}; fixed in 1.0.1`,
  }));

function report(headSha: string, overrides: Partial<PullRequestCheckReport> = {}): PullRequestCheckReport {
  return {
    name: 'RepoGuard',
    headSha,
    status: 'completed',
    conclusion: 'failure',
    title: '120 new vulnerabilities, 0 resolved',
    summary: '**FAIL**: 120 new vulnerabilities.',
    annotations: annotations(120),
    detailsUrl: 'https://repoguard.example/api/v1/orgs/o/repos/r/pull-requests/7/checks/c',
    externalId: randomUUID(),
    offerAcceptRisk: true,
    ...overrides,
  };
}

/** `acme/web` with the App installed on it, `acme/tools` reached by the org token `org-pat`. */
async function setUp(fetchThrough?: typeof fetch) {
  const web = await github.createRepo('acme', 'web');
  const sha = await web.commit({ 'package-lock.json': '{}\n' });
  const tools = await github.createRepo('acme', 'tools', { privateToken: 'org-pat' });
  const toolsSha = await tools.commit({ 'go.mod': 'module tools\n' });
  const app = github.createApp();
  const installationId = String(github.createInstallation('acme', ['acme/web']));
  const tokens = new GithubAppInstallationTokens({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    baseUrl: github.url,
  });
  const credentials: CheckCredentials = {
    credentialFor: (target) =>
      Promise.resolve(
        target.name === 'web'
          ? { via: 'installation', token: () => tokens.tokenFor(installationId) }
          : target.name === 'tools'
            ? { via: 'org_token', token: () => Promise.resolve('org-pat') }
            : null,
      ),
  };
  const publisher = new GithubPullRequestCheckPublisher(
    { baseUrl: github.url, timeoutMs: 5_000, ...(fetchThrough ? { fetch: fetchThrough } : {}) },
    credentials,
  );
  const target = (name: string, checkRunId: string | null = null): CheckPublishTarget => ({
    orgId: randomUUID(),
    repoId: randomUUID(),
    owner: 'acme',
    name,
    checkRunId,
  });
  return { sha, toolsSha, publisher, target };
}

const writes = () => github.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH');
const checkWrites = () => writes().filter((r) => r.path.includes('/check-runs'));

describe('GithubPullRequestCheckPublisher', () => {
  it('puts a check run with 120 annotations on the head commit whole, in 3 requests', async () => {
    const { sha, publisher, target } = await setUp();
    const sent = report(sha);

    const published = await publisher.publish(target('web'), sent);

    expect(published).toEqual({ delivery: 'check_run', checkRunId: expect.stringMatching(/^\d+$/) });
    expect(checkWrites().map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    const [run, ...others] = github.checkRuns('acme/web');
    expect(others).toEqual([]);
    expect(run).toMatchObject({
      id: Number(published.checkRunId),
      headSha: sha,
      name: 'RepoGuard',
      status: 'completed',
      conclusion: 'failure',
      externalId: sent.externalId,
      detailsUrl: sent.detailsUrl,
      output: { title: sent.title, summary: sent.summary },
      actions: [
        { identifier: ACCEPT_RISK_ACTION, label: ACCEPT_RISK_LABEL, description: expect.any(String) },
      ],
    });
    expect(run!.annotations.map((a) => a.start_line)).toEqual(sent.annotations.map((a) => a.startLine));
  });

  it('puts a new verdict (Accept risk: failure → success) on a new run, without the old annotations', async () => {
    const { sha, publisher, target } = await setUp();
    const first = report(sha);
    const { checkRunId } = await publisher.publish(target('web'), first);

    const accepted = report(sha, {
      externalId: first.externalId,
      conclusion: 'success',
      title: '0 new vulnerabilities, 0 resolved',
      summary: '**OK**: risks accepted.',
      annotations: [],
      offerAcceptRisk: false,
    });
    const again = await publisher.publish(target('web', checkRunId), accepted);
    // A retry of the same verdict (the row not updated yet) finds that new run: no third one.
    const retried = await publisher.publish(target('web', checkRunId), accepted);

    expect(again.checkRunId).not.toBe(checkRunId);
    expect(retried.checkRunId).toBe(again.checkRunId);
    const runs = github.checkRuns('acme/web');
    expect(runs.map((r) => [String(r.id), r.conclusion, r.annotations.length])).toEqual([
      [checkRunId, 'failure', 120],
      [again.checkRunId, 'success', 0],
    ]);
    // The failed run keeps its verdict; its button, which no longer leads anywhere, is gone.
    expect(runs[0]!.actions).toEqual([]);
    expect(runs[1]).toMatchObject({
      externalId: first.externalId,
      actions: [],
      output: { summary: '**OK**: risks accepted.' },
    });
  });

  it('puts FAIL → WARN on a new run with one copy of the warnings, and updates a run for the same verdict', async () => {
    const { sha, publisher, target } = await setUp();
    const failed = report(sha, { annotations: annotations(3) });
    const { checkRunId } = await publisher.publish(target('web'), failed);
    const warning = annotations(3).map((a) => ({ ...a, level: 'warning' as const }));

    const warned = await publisher.publish(
      target('web', checkRunId),
      report(sha, { externalId: failed.externalId, conclusion: 'neutral', annotations: warning }),
    );
    // The same verdict with one more finding: the run is updated, its annotations completed.
    const more = [...warning, { ...warning[0]!, startLine: 40, endLine: 40, title: 'GHSA-new' }];
    const grown = await publisher.publish(
      target('web', warned.checkRunId),
      report(sha, { externalId: failed.externalId, conclusion: 'neutral', annotations: more }),
    );

    expect(grown.checkRunId).toBe(warned.checkRunId);
    const runs = github.checkRuns('acme/web');
    expect(runs.map((r) => [String(r.id), r.conclusion])).toEqual([
      [checkRunId, 'failure'],
      [warned.checkRunId, 'neutral'],
    ]);
    expect(runs[1]!.annotations.map((a) => [a.annotation_level, a.start_line])).toEqual([
      ['warning', 1],
      ['warning', 2],
      ['warning', 3],
      ['warning', 40],
    ]);
  });

  it('puts a verdict whose findings changed on a new run, so no annotation of a finding gone stays', async () => {
    const { sha, publisher, target } = await setUp();
    const before = report(sha, { annotations: annotations(2) });
    const { checkRunId } = await publisher.publish(target('web'), before);

    const after = await publisher.publish(
      target('web', checkRunId),
      report(sha, { externalId: before.externalId, annotations: annotations(1) }),
    );

    expect(after.checkRunId).not.toBe(checkRunId);
    expect(github.checkRuns('acme/web')[1]!.annotations.map((a) => a.start_line)).toEqual([1]);
  });

  it('shows a check in progress, then its verdict on the same run; a status goes pending, then final', async () => {
    const { sha, toolsSha, publisher, target } = await setUp();
    const checking = {
      status: 'in_progress' as const,
      conclusion: null,
      annotations: [],
      offerAcceptRisk: false,
    };
    const first = report(sha, { ...checking, title: 'Checking', summary: 'Comparing with main' });

    const started = await publisher.publish(target('web'), first);
    expect(github.checkRuns('acme/web')).toMatchObject([
      { status: 'in_progress', conclusion: null, actions: [] },
    ]);
    await publisher.publish(target('web', started.checkRunId), report(sha, { externalId: first.externalId }));
    expect(github.checkRuns('acme/web')).toMatchObject([
      { id: Number(started.checkRunId), status: 'completed', conclusion: 'failure' },
    ]);

    await publisher.publish(target('tools'), report(toolsSha, { ...checking, title: 'Checking' }));
    await publisher.publish(target('tools'), report(toolsSha, { conclusion: 'success', title: '0 new' }));
    expect(github.statuses('acme/tools').map((s) => [s.state, s.description])).toEqual([
      ['pending', 'Checking'],
      ['success', 'OK: 0 new'],
    ]);
  });

  it('gives a repository reached through an org token a commit status instead', async () => {
    const { toolsSha, publisher, target } = await setUp();

    const failed = await publisher.publish(
      target('tools'),
      report(toolsSha, { annotations: annotations(3), title: `${'x'.repeat(200)} new vulnerabilities` }),
    );
    const warned = await publisher.publish(
      target('tools'),
      report(toolsSha, { conclusion: 'neutral', title: '1 new' }),
    );

    expect(failed).toEqual({ delivery: 'commit_status', checkRunId: null });
    expect(warned.delivery).toBe('commit_status');
    expect(github.checkRuns()).toEqual([]);
    const [first, second] = github.statuses('acme/tools');
    expect(first).toMatchObject({
      sha: toolsSha,
      state: 'failure',
      context: 'RepoGuard',
      targetUrl: 'https://repoguard.example/api/v1/orgs/o/repos/r/pull-requests/7/checks/c',
    });
    expect(first!.description!.length).toBeLessThanOrEqual(140);
    // WARN does not block a merge, as a neutral check run does not: success, said in the description.
    expect(second).toMatchObject({ state: 'success', description: 'WARN: 1 new' });
  });

  it('gives a check that could not be done an `error` status, never a success', async () => {
    const { toolsSha, publisher, target } = await setUp();

    await publisher.publish(
      target('tools'),
      report(toolsSha, {
        conclusion: 'failure',
        title: 'Check failed: MANIFEST_TOO_LARGE',
        errorCode: 'MANIFEST_TOO_LARGE',
        annotations: [],
        offerAcceptRisk: false,
      }),
    );

    expect(github.statuses('acme/tools').map((s) => [s.state, s.description])).toEqual([
      ['error', 'ERROR: Check failed: MANIFEST_TOO_LARGE'],
    ]);
  });

  it('throws a retryable error on a 503 and publishes once on the retry, even when the run was half sent', async () => {
    let patches = 0;
    let failed = 0;
    // The second PATCH (the last 20 annotations) is answered 503 once.
    const flaky: typeof fetch = (input, init) => {
      if (init?.method === 'PATCH' && ++patches === 2 && failed === 0) {
        failed += 1;
        return Promise.resolve(
          new Response(JSON.stringify({ message: 'Service Unavailable' }), {
            status: 503,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
      return fetch(input, init);
    };
    const { sha, publisher, target } = await setUp(flaky);
    const sent = report(sha);
    const where = target('web');

    const error = await publisher.publish(where, sent).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntegrationUnavailableError);
    expect(error).toMatchObject({ reason: '5xx' });

    // The activity's retry: the run is not known yet (checkRunId null), found by its external id.
    const retried = await publisher.publish(where, sent);
    const runs = github.checkRuns('acme/web');
    expect(runs).toHaveLength(1);
    expect(retried.checkRunId).toBe(String(runs[0]!.id));
    expect(runs[0]!.annotations).toHaveLength(120);
    expect(new Set(runs[0]!.annotations.map((a) => a.start_line)).size).toBe(120);
  });

  it('keeps the wait of a 429 and the stand-in’s injected 503, both retryable', async () => {
    const { sha, publisher, target } = await setUp();
    github.failNext(1, 429, { 'retry-after': '7' });
    const limited = await publisher.publish(target('tools'), report(sha)).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(IntegrationUnavailableError);
    expect(limited).toMatchObject({ reason: '429', retryAfterMs: 7000 });

    github.failNext(1, 503);
    const down = await publisher.publish(target('tools'), report(sha)).catch((e: unknown) => e);
    expect(down).toMatchObject({ reason: '5xx' });
  });

  it('turns GitHub’s 422 into a non-retryable error with a stable code, and no credentials into another', async () => {
    const { sha, publisher, target } = await setUp();

    const refused = await publisher
      .publish(target('web'), report(sha, { summary: 'x'.repeat(70_000) }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).not.toBeInstanceOf(IntegrationUnavailableError);
    expect(refused).toMatchObject({ code: 'GITHUB_CHECK_REFUSED', message: expect.stringContaining('422') });

    const unknownCommit = await publisher
      .publish(target('web'), report('f'.repeat(40)))
      .catch((e: unknown) => e);
    expect(unknownCommit).toMatchObject({ code: 'GITHUB_CHECK_REFUSED' });

    const nobody = await publisher.publish(target('elsewhere'), report(sha)).catch((e: unknown) => e);
    expect(nobody).toMatchObject({ code: 'GITHUB_CHECK_CREDENTIALS_REQUIRED' });
    expect(github.checkRuns()).toEqual([]);
  });
});
