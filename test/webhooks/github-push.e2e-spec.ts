// GitHub push webhooks on the real stack: signed deliveries signal the repository's scan workflow,
// exactly once per delivery id; anything unsigned, unknown or not about a watched branch has no effect.
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples';
import type { ScanTarget } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request, type JsonResponse } from '../support/http';

const SECRET = `whsec-${randomUUID()}`;
// Real GitHub shapes: the published examples, with our repository's id, branch and commit put in.
interface PushExample {
  ref: string;
  head_commit: Record<string, unknown> | null;
  repository: Record<string, unknown>;
}
const PUSH_EXAMPLE = (examples.find((d) => d.name === 'push')!.examples as unknown as PushExample[]).find(
  (e) => e.ref.startsWith('refs/heads/'),
)!;
const PING_EXAMPLE = examples.find((d) => d.name === 'ping')!.examples[0]!;
const STAR_EXAMPLE = examples.find((d) => d.name === 'star')!.examples[0]!;
const REPOSITORY_EXAMPLE = examples.find((d) => d.name === 'repository')!.examples[0] as unknown as {
  repository: Record<string, unknown> & { owner: Record<string, unknown> };
};

/** A `repository` event about our repository (the published example, re-pointed). */
function repositoryEvent(githubId: number, action: string, name = 'hooked') {
  const repository = REPOSITORY_EXAMPLE.repository;
  return {
    ...REPOSITORY_EXAMPLE,
    action,
    repository: {
      ...repository,
      id: githubId,
      name,
      full_name: `acme/${name}`,
      default_branch: 'main',
      owner: { ...repository.owner, login: 'acme' },
    },
  };
}

function pushPayload(githubId: number, ref: string, after: string, extra: Record<string, unknown> = {}) {
  return {
    ...PUSH_EXAMPLE,
    ref,
    after,
    head_commit: after.startsWith('0000') ? null : { ...PUSH_EXAMPLE.head_commit, id: after },
    repository: { ...PUSH_EXAMPLE.repository, id: githubId },
    ...extra,
  };
}

describe('POST /api/v1/webhooks/github', () => {
  let stack: ApiStack;
  let orgToken: string;
  let target: ScanTarget;
  let githubId: number;
  let repo: Awaited<ReturnType<ApiStack['harness']['github']['createRepo']>>;

  async function deliver(
    event: string,
    body: unknown,
    options: { deliveryId?: string; secret?: string; headers?: Record<string, string | undefined> } = {},
  ): Promise<JsonResponse & { deliveryId: string }> {
    const deliveryId = options.deliveryId ?? randomUUID();
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = {
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': await sign(options.secret ?? SECRET, raw),
      'user-agent': 'GitHub-Hookshot/test',
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const answer = await request(`${stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers,
      body: raw,
    });
    return { ...answer, deliveryId };
  }

  const knex = () => stack.harness.orm.em.getKnex();
  const deliveryRow = async (id: string) => knex()('webhook_deliveries').where({ delivery_id: id }).first();
  const scanRows = async () =>
    knex()('scans')
      .where({ repo_id: target.repoId })
      .orderBy('created_at', 'asc')
      .select('commit_sha', 'trigger', 'status');

  /** No scan pending or running: a delivery that had signalled the workflow would have (re)started it. */
  const workflowIdle = async () =>
    (await stack.harness.temporal.client.workflow.getHandle(`repo-scan:${target.repoId}`).describe()).status
      .name !== 'RUNNING';

  beforeAll(async () => {
    // A quiet window longer than the gaps between back-to-back deliveries on a loaded machine.
    stack = await startApiStack({
      name: 'webhooks',
      env: { GITHUB_WEBHOOK_SECRET: SECRET, SCAN_QUIET_WINDOW_MS: '1500' },
    });
    const org = await stack.createOrg('hooks');
    orgToken = org.ownerToken;
    repo = await stack.harness.github.createRepo('acme', 'hooked');
    await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
    const connected = await stack.call(orgToken, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
      repo: 'acme/hooked',
    });
    expect(connected.status).toBe(201);
    target = { orgId: org.orgId, repoId: connected.body.id, owner: 'acme', name: 'hooked' };
    const row = await knex()('repositories').where({ id: target.repoId }).first('external_id');
    githubId = Number(row.external_id);
    expect(githubId).toBeGreaterThan(0);
  });
  afterAll(async () => stack?.close());

  it('scans exactly the pushed commit of the default branch, audited as the webhook', async () => {
    const sha = await repo.commit({ 'requirements.txt': 'requests==2.20.0\n' }, 'bump requests');
    const answer = await deliver('push', pushPayload(githubId, 'refs/heads/main', sha));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      delivery_id: answer.deliveryId,
      handled: true,
      outcome: 'scan requested',
      scans: [{ repo_id: target.repoId, workflow_id: `repo-scan:${target.repoId}` }],
    });
    const result = await stack.harness.waitForScan(target);
    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: sha });
    expect(await scanRows()).toEqual([{ commit_sha: sha, trigger: 'push', status: 'COMPLETED' }]);
    expect(await deliveryRow(answer.deliveryId)).toMatchObject({
      event: 'push',
      github_repo_id: String(githubId),
      ref: 'refs/heads/main',
      head_commit: sha,
      handled: true,
      status_code: 202,
    });
    // The delivery id travels with the scan: every step was given it as its correlation id.
    const history = await stack.harness.temporal.client.workflow
      .getHandle(`repo-scan:${target.repoId}`)
      .fetchHistory();
    const stepInputs = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a !== null && a !== undefined)
      .map((a) => ({
        step: a.activityType?.name,
        correlationId: JSON.parse(Buffer.from(a.input!.payloads![0]!.data!).toString('utf8')).correlationId,
      }));
    expect(stepInputs.map((s) => s.step)).toEqual([
      'fetchManifest',
      'parse',
      'osvQuery',
      'persist',
      'evaluatePolicy',
    ]);
    expect(new Set(stepInputs.map((s) => s.correlationId))).toEqual(new Set([answer.deliveryId]));
    const audit = await knex()('audit_logs')
      .where({ org_id: target.orgId, correlation_id: answer.deliveryId })
      .select('actor_type', 'action', 'target_id');
    expect(audit).toEqual([{ actor_type: 'webhook', action: 'scan.requested', target_id: target.repoId }]);

    // The same delivery again (a replay, or GitHub's redelivery): recorded once, no second scan.
    const replay = await deliver('push', pushPayload(githubId, 'refs/heads/main', sha), {
      deliveryId: answer.deliveryId,
    });
    expect([replay.status, replay.body]).toEqual([200, { delivery_id: answer.deliveryId, duplicate: true }]);
    expect(await workflowIdle()).toBe(true);
    expect(await scanRows()).toHaveLength(1);
  });

  it('answers what it will not act on with the documented status, and no scan', async () => {
    const before = await scanRows();
    const sha = await repo.commit({ 'README.md': '# hooked\n' }, 'docs');
    await repo.createBranch('feature');
    const push = pushPayload(githubId, 'refs/heads/main', sha);
    const cases: [string, Promise<JsonResponse & { deliveryId: string }>, number, string | RegExp][] = [
      [
        'wrong secret',
        deliver('push', push, { secret: 'not-the-secret-at-all' }),
        401,
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [
        'no signature',
        deliver('push', push, { headers: { 'x-hub-signature-256': undefined } }),
        401,
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [
        'no event header',
        deliver('push', push, { headers: { 'x-github-event': undefined } }),
        400,
        'REQUEST_INVALID',
      ],
      [
        'no delivery header',
        deliver('push', push, { headers: { 'x-github-delivery': undefined } }),
        400,
        'REQUEST_INVALID',
      ],
      ['malformed JSON', deliver('push', '{"ref": "refs/heads/main",'), 400, 'MALFORMED_JSON'],
      ['an unknown event', deliver('star', STAR_EXAMPLE), 202, 'event star is not acted on'],
      [
        'an unknown repository',
        deliver('push', pushPayload(987654321, 'refs/heads/main', sha)),
        202,
        'repository not connected',
      ],
      [
        'another branch',
        deliver('push', pushPayload(githubId, 'refs/heads/feature', sha)),
        202,
        'branch feature is not watched',
      ],
      [
        'a branch deletion',
        deliver('push', pushPayload(githubId, 'refs/heads/main', '0'.repeat(40), { deleted: true })),
        202,
        'branch deleted',
      ],
      ['a tag push', deliver('push', pushPayload(githubId, 'refs/tags/v1', sha)), 202, 'tag push'],
      ['ping', deliver('ping', PING_EXAMPLE), 200, 'pong'],
    ];
    for (const [name, pending, status, expected] of cases) {
      const answer = await pending;
      const said = answer.body.error?.code ?? answer.body.outcome;
      expect([name, answer.status, said]).toEqual([name, status, expected]);
      const row = await deliveryRow(answer.deliveryId);
      if (status === 401 || answer.body.error?.code === 'REQUEST_INVALID') {
        expect([name, row]).toEqual([name, undefined]); // refused before anything was recorded
      } else {
        expect([name, row?.handled]).toEqual([name, status === 200 && said === 'pong']);
      }
    }
    expect(await workflowIdle()).toBe(true);
    expect(await scanRows()).toEqual(before);
    // Deliveries about a connected repository are in its org's audit trail even when ignored.
    const ignoredRows = await knex()('audit_logs')
      .where({ org_id: target.orgId, action: 'webhook.ignored', actor_type: 'webhook' })
      .select('metadata');
    expect(ignoredRows.map((r: { metadata: { reason: string } }) => r.metadata.reason).sort()).toEqual([
      'branch deleted',
      'branch feature is not watched',
      'tag push',
    ]);
  });

  it('turns a burst of 20 pushes into one or two scans, the last of the newest commit', async () => {
    const before = (await scanRows()).length;
    // The commits first (git is slow under load), then the 20 deliveries back to back, in push
    // order as GitHub sends them: a burst, without a timing assertion that a loaded machine could fail.
    const shas: string[] = [];
    for (let i = 0; i < 20; i++) {
      shas.push(await repo.commit({ 'requirements.txt': `requests==2.${20 + i}.0\n` }, `bump ${i}`));
    }
    const answers = [];
    for (const sha of shas)
      answers.push(await deliver('push', pushPayload(githubId, 'refs/heads/main', sha)));
    expect(answers.map((a) => a.status)).toEqual(shas.map(() => 202));
    const deliveries = answers.map((a) => a.deliveryId);
    const result = await stack.harness.waitForScan(target);
    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: shas[19] });
    const scans = (await scanRows()).slice(before);
    expect(scans.length).toBeGreaterThanOrEqual(1);
    expect(scans.length).toBeLessThanOrEqual(2);
    expect(scans[scans.length - 1]).toMatchObject({ commit_sha: shas[19], status: 'COMPLETED' });
    const recorded = await knex()('webhook_deliveries').whereIn('delivery_id', deliveries).count({ n: '*' });
    expect(Number(recorded[0]!.n)).toBe(20);
  });

  it('loses no push while the worker is down: the scan runs when it is back', async () => {
    await stack.harness.stopWorker();
    const sha = await repo.commit({ 'requirements.txt': 'requests==2.31.0\n' }, 'while the worker is away');
    const answer = await deliver('push', pushPayload(githubId, 'refs/heads/main', sha));
    expect([answer.status, answer.body.handled]).toEqual([202, true]);
    await new Promise((r) => setTimeout(r, 1_000));
    await stack.harness.startWorker();
    const result = await stack.harness.waitForScan(target);
    expect(result).toMatchObject({ phase: 'COMPLETED', commitSha: sha });
  });

  it('stops scanning an archived repository, resumes when unarchived, and follows a rename', async () => {
    const archived = await deliver('repository', repositoryEvent(githubId, 'archived'));
    expect([archived.status, archived.body.outcome]).toEqual([202, 'repository updated']);
    const view = await stack.call(orgToken, 'GET', `/api/v1/orgs/${target.orgId}/repos/${target.repoId}`);
    expect(view.body.disabled).toEqual({ at: expect.any(String), reason: 'archived on GitHub' });

    const sha = await repo.commit({ 'README.md': '# archived\n' }, 'after archiving');
    const push = await deliver('push', pushPayload(githubId, 'refs/heads/main', sha));
    expect([push.status, push.body.handled, push.body.outcome]).toEqual([
      202,
      false,
      'repository disabled: archived on GitHub',
    ]);
    expect(await workflowIdle()).toBe(true);
    const manual = await stack.call(orgToken, 'POST', `/api/v1/repos/${target.repoId}/scan`, {});
    expect([manual.status, manual.body.error.code]).toEqual([409, 'REPO_DISABLED']);

    expect((await deliver('repository', repositoryEvent(githubId, 'unarchived'))).status).toBe(202);
    const again = await deliver('push', pushPayload(githubId, 'refs/heads/main', sha));
    expect(again.body).toMatchObject({ handled: true, outcome: 'scan requested' });
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED', commitSha: sha });

    const renamed = await deliver('repository', repositoryEvent(githubId, 'renamed', 'hooked-v2'));
    expect(renamed.status).toBe(202);
    const after = await stack.call(orgToken, 'GET', `/api/v1/orgs/${target.orgId}/repos/${target.repoId}`);
    expect(after.body).toMatchObject({
      full_name: 'acme/hooked-v2',
      disabled: null,
      github_id: String(githubId),
    });
    const audit = await knex()('audit_logs')
      .where({ org_id: target.orgId, action: 'repo.updated' })
      .orderBy('created_at', 'asc')
      .select('actor_type', 'correlation_id');
    expect(audit).toEqual([
      { actor_type: 'webhook', correlation_id: archived.deliveryId },
      { actor_type: 'webhook', correlation_id: expect.any(String) },
      { actor_type: 'webhook', correlation_id: renamed.deliveryId },
    ]);
  });

  it('refuses a body over 25 MB with 413', async () => {
    const big = JSON.stringify({
      ...pushPayload(githubId, 'refs/heads/main', 'a'.repeat(40)),
      padding: 'x'.repeat(26 * 1024 * 1024),
    });
    const answer = await deliver('push', big);
    expect([answer.status, answer.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});
