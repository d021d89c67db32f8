import { createAppAuth } from '@octokit/auth-app';
import { request as octokitRequest } from '@octokit/request';
import examples from '@octokit/webhooks-examples';
import { startGithubStandIn, type GithubStandIn } from './github-stand-in';

// The Checks API and commit statuses of the stand-in, driven with plain fetch, so a mistake in the
// stand-in cannot hide behind the same mistake in the adapter's client library.

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown> & { message?: string };
}

const standIns: GithubStandIn[] = [];

afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});

/** A stand-in with an app installed on `acme/web` (one commit) and `acme/tools` reached by an org token. */
async function setUp() {
  const github = await startGithubStandIn();
  standIns.push(github);
  const web = await github.createRepo('acme', 'web');
  const sha = await web.commit({ 'package-lock.json': '{}\n' });
  const tools = await github.createRepo('acme', 'tools', { privateToken: 'org-pat' });
  const toolsSha = await tools.commit({ 'go.mod': 'module x\n' });
  const app = github.createApp();
  const installationId = github.createInstallation('acme', ['acme/web']);
  const auth = createAppAuth({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    request: octokitRequest.defaults({ baseUrl: github.url }),
  });
  const { token } = await auth({ type: 'installation', installationId });
  return { github, sha, toolsSha, token, installationId };
}

async function call(
  github: GithubStandIn,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Reply> {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      ...(token !== undefined ? { authorization: `token ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

const annotation = (line: number) => ({
  path: 'package-lock.json',
  start_line: line,
  end_line: line,
  annotation_level: 'warning',
  title: `GHSA-${line}`,
  message: `vulnerable at line ${line}`,
});

describe('GitHub stand-in: check runs', () => {
  it('creates a check run in GitHub shape, lists it on the commit and appends the annotations of updates', async () => {
    const { github, sha, token } = await setUp();

    const created = await call(github, 'POST', '/repos/acme/web/check-runs', token, {
      name: 'RepoGuard',
      head_sha: sha,
      external_id: 'check-1',
      details_url: 'https://repoguard.example/checks/1',
      status: 'in_progress',
      output: { title: 'Checking', summary: 'checking', annotations: [annotation(1), annotation(2)] },
    });
    expect(created.status).toBe(201);
    const id = created.body['id'] as number;
    expect(created.body).toMatchObject({
      head_sha: sha,
      name: 'RepoGuard',
      external_id: 'check-1',
      status: 'in_progress',
      conclusion: null,
      details_url: 'https://repoguard.example/checks/1',
      output: { title: 'Checking', summary: 'checking', text: null, annotations_count: 2 },
      app: { id: expect.any(Number), slug: expect.any(String) },
      check_suite: { id: expect.any(Number) },
      pull_requests: [],
    });

    const updated = await call(github, 'PATCH', `/repos/acme/web/check-runs/${id}`, token, {
      conclusion: 'failure',
      output: { title: '1 new vulnerability', summary: 'bad', annotations: [annotation(3)] },
      actions: [
        { label: 'Accept risk (30d)', identifier: 'accept_risk_30d', description: 'Accept for 30 days' },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      completed_at: expect.any(String),
    });
    expect((updated.body['output'] as Record<string, unknown>)['annotations_count']).toBe(3);

    const annotations = await call(github, 'GET', `/repos/acme/web/check-runs/${id}/annotations`, token);
    expect((annotations.body as unknown as { title: string }[]).map((a) => a.title)).toEqual([
      'GHSA-1',
      'GHSA-2',
      'GHSA-3',
    ]);
    const listed = await call(
      github,
      'GET',
      `/repos/acme/web/commits/${sha}/check-runs?check_name=RepoGuard`,
      token,
    );
    expect(listed.body).toMatchObject({ total_count: 1, check_runs: [{ id, conclusion: 'failure' }] });
    const [published] = github.checkRuns('acme/web');
    expect(published).toMatchObject({
      id,
      conclusion: 'failure',
      requests: 2,
      actions: [{ identifier: 'accept_risk_30d' }],
    });
    expect(published!.annotations).toHaveLength(3);
  });

  it('refuses what GitHub refuses, with its status and message, and keeps nothing of it', async () => {
    const { github, sha, token } = await setUp();
    const base = { name: 'RepoGuard', head_sha: sha };
    const output = (extra: Record<string, unknown>) => ({ title: 't', summary: 's', ...extra });
    const action = { label: 'Accept', identifier: 'accept', description: 'Accept it' };
    const cases: [string, unknown, string | undefined, number, RegExp][] = [
      ['a personal token', base, 'org-pat', 403, /^You must authenticate via a GitHub App\.$/],
      ['no token', base, undefined, 401, /Requires authentication/],
      [
        '51 annotations',
        { ...base, output: output({ annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)) }) },
        token,
        422,
        /Validation Failed/,
      ],
      [
        'a summary of 65,536 characters',
        { ...base, output: output({ summary: 'x'.repeat(65_536) }) },
        token,
        422,
        /Only 65535 characters are allowed; 65536 were supplied/,
      ],
      [
        'completed without a conclusion',
        { ...base, status: 'completed' },
        token,
        422,
        /"conclusion" wasn't supplied/,
      ],
      ['an unknown head_sha', { ...base, head_sha: 'f'.repeat(40) }, token, 422, /No commit found for SHA/],
      [
        'four actions',
        { ...base, actions: [action, action, action, action] },
        token,
        422,
        /Validation Failed/,
      ],
      [
        'a label of 21 characters',
        { ...base, actions: [{ ...action, label: 'x'.repeat(21) }] },
        token,
        422,
        /Validation Failed/,
      ],
      [
        'an identifier of 21 characters',
        { ...base, actions: [{ ...action, identifier: 'x'.repeat(21) }] },
        token,
        422,
        /Validation Failed/,
      ],
      [
        'a description of 41 characters',
        { ...base, actions: [{ ...action, description: 'x'.repeat(41) }] },
        token,
        422,
        /Validation Failed/,
      ],
      [
        'an annotation title of 256 characters',
        { ...base, output: output({ annotations: [{ ...annotation(1), title: 'x'.repeat(256) }] }) },
        token,
        422,
        /Validation Failed/,
      ],
      ['no name', { head_sha: sha }, token, 422, /"name" wasn't supplied/],
    ];
    for (const [what, body, caller, status, message] of cases) {
      const reply = await call(github, 'POST', '/repos/acme/web/check-runs', caller, body);
      expect({ what, status: reply.status, message: reply.body.message }).toEqual({
        what,
        status,
        message: expect.stringMatching(message),
      });
      expect(reply.body['documentation_url']).toEqual(expect.any(String));
    }
    expect(github.checkRuns()).toEqual([]);

    const created = await call(github, 'POST', '/repos/acme/web/check-runs', token, base);
    const id = created.body['id'] as number;
    const tooMany = await call(github, 'PATCH', `/repos/acme/web/check-runs/${id}`, token, {
      output: output({ annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)) }),
    });
    expect(tooMany.status).toBe(422);
    expect(github.checkRuns()[0]!.annotations).toHaveLength(0);
  });

  it('hides another repository’s runs and the runs of repositories the installation does not cover', async () => {
    const { github, toolsSha, token } = await setUp();
    const other = await call(github, 'POST', '/repos/acme/tools/check-runs', token, {
      name: 'RepoGuard',
      head_sha: toolsSha,
    });
    expect(other.status).toBe(404);
    const missing = await call(github, 'GET', '/repos/acme/web/check-runs/123', token);
    expect(missing.status).toBe(404);
  });
});

describe('GitHub stand-in: commit statuses', () => {
  it('takes a status from an org token and combines the latest of each context', async () => {
    const { github, toolsSha } = await setUp();
    const post = (state: string, context: string, description = 'RepoGuard') =>
      call(github, 'POST', `/repos/acme/tools/statuses/${toolsSha}`, 'org-pat', {
        state,
        context,
        description,
        target_url: 'https://repoguard.example/x',
      });
    expect((await post('pending', 'RepoGuard')).status).toBe(201);
    const done = await post('success', 'RepoGuard');
    expect(done.body).toMatchObject({
      state: 'success',
      context: 'RepoGuard',
      target_url: 'https://repoguard.example/x',
    });
    expect((await post('failure', 'other-ci')).status).toBe(201);

    const combined = await call(github, 'GET', `/repos/acme/tools/commits/${toolsSha}/status`, 'org-pat');
    expect(combined.body).toMatchObject({ state: 'failure', total_count: 2, sha: toolsSha });
    const listed = await call(github, 'GET', `/repos/acme/tools/commits/${toolsSha}/statuses`, 'org-pat');
    expect((listed.body as unknown as { state: string }[]).map((s) => s.state)).toEqual([
      'failure',
      'success',
      'pending',
    ]);
    expect(github.statuses('acme/tools').map((s) => s.state)).toEqual(['pending', 'success', 'failure']);
  });

  it('refuses a description over 140 characters, a bad state, an unknown commit and a reader without write', async () => {
    const { github, toolsSha, sha } = await setUp();
    const long = await call(github, 'POST', `/repos/acme/tools/statuses/${toolsSha}`, 'org-pat', {
      state: 'success',
      description: 'x'.repeat(141),
    });
    expect(long).toMatchObject({ status: 422, body: { message: 'Validation Failed' } });
    const badState = await call(github, 'POST', `/repos/acme/tools/statuses/${toolsSha}`, 'org-pat', {
      state: 'neutral',
    });
    expect(badState.status).toBe(422);
    const unknown = await call(github, 'POST', `/repos/acme/tools/statuses/${'e'.repeat(40)}`, 'org-pat', {
      state: 'success',
    });
    expect(unknown.status).toBe(422);
    // acme/web is public: anyone reads it, a stranger's token may not write to it.
    const stranger = await call(github, 'POST', `/repos/acme/web/statuses/${sha}`, 'someone-else', {
      state: 'success',
    });
    expect(stranger.status).toBe(403);
    expect(github.statuses()).toEqual([]);
  });
});

describe('GitHub stand-in: check_run deliveries', () => {
  it('builds requested_action and rerequested payloads in the shape of GitHub’s examples', async () => {
    const { github, sha, token, installationId } = await setUp();
    const created = await call(github, 'POST', '/repos/acme/web/check-runs', token, {
      name: 'RepoGuard',
      head_sha: sha,
      external_id: 'check-9',
    });
    const id = created.body['id'] as number;

    const { event, payload } = github.checkRunEvent(id, 'requested_action', {
      sender: 'octocat',
      identifier: 'accept_risk_30d',
      pullRequest: { number: 7, headRef: 'feature', baseRef: 'main', baseSha: sha },
    });

    const example = examples
      .find((e) => e.name === 'check_run')!
      .examples.find((e) => (e as { action?: string }).action === 'requested_action') as Record<
      string,
      unknown
    >;
    expect(event).toBe('check_run');
    for (const key of ['action', 'check_run', 'requested_action', 'repository', 'sender']) {
      expect(payload).toHaveProperty(key);
      expect(example).toHaveProperty(key);
    }
    const checkRun = payload['check_run'] as Record<string, unknown>;
    for (const key of Object.keys(example['check_run'] as object)) expect(checkRun).toHaveProperty(key);
    expect(payload).toMatchObject({
      action: 'requested_action',
      requested_action: { identifier: 'accept_risk_30d' },
      check_run: { id, head_sha: sha, external_id: 'check-9', pull_requests: [{ number: 7 }] },
      sender: { login: 'octocat' },
      installation: { id: installationId },
      repository: { full_name: 'acme/web', id: expect.any(Number) },
    });
    expect(github.checkRunEvent(id, 'rerequested', { sender: 'octocat' }).payload).not.toHaveProperty(
      'requested_action',
    );
  });
});
