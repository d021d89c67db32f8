// Trust boundary: webhooks an org configures itself. Org B holds a webhook secret of its own and
// uses it (on its own URL, on the GitHub App's URL, on org A's URL) to act on org A's repositories:
// push, archive, delete, rename, uninstall. None of it touches A; B's own deliveries still work.
import { randomBytes, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { OsvRecord } from '@repoguard/domain';
import { linkInstallation } from '../support/github-link';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request, type JsonResponse } from '../support/http';

const ADVISORY: OsvRecord = {
  id: 'RG-XT-0001',
  modified: '2026-12-01T00:00:00Z',
  summary: 'a vulnerable pin in the victim org',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'rg-xt-demo' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
    },
  ],
};
const VULNERABLE = { 'requirements.txt': 'rg-xt-demo==1.0.0\n' };

interface Org {
  orgId: string;
  ownerToken: string;
  slug: string;
}
interface Connected {
  id: string;
  githubId: number;
  owner: string;
  name: string;
}

describe('webhooks across tenants', () => {
  let stack: ApiStack;
  let victim: Org; // A
  let attacker: Org; // B
  let bystander: Org; // C: no webhook secret
  let attackerSecret: string;
  let attackerPath: string;
  let victimSecret: string;
  let victimPath: string;
  let victimInstallation: number;
  let victimPrivate: Connected;
  let victimShared: Connected;
  let attackerShared: Connected;
  let attackerOwn: Connected;
  let baseline: Awaited<ReturnType<typeof victimState>>;

  const knex = () => stack.harness.orm.em.getKnex();
  const api = (org: Org, method: string, path: string, body?: unknown) =>
    stack.call(org.ownerToken, method, `/api/v1${path}`, body);

  async function deliver(
    path: string,
    event: string,
    body: unknown,
    options: { secret?: string | null; deliveryId?: string } = {},
  ): Promise<JsonResponse & { deliveryId: string }> {
    const deliveryId = options.deliveryId ?? randomUUID();
    const raw = JSON.stringify(body);
    const secret = options.secret === undefined ? attackerSecret : options.secret;
    const answer = await request(`${stack.url}${path}`, {
      method: 'POST',
      headers: {
        'x-github-event': event,
        'x-github-delivery': deliveryId,
        'user-agent': 'GitHub-Hookshot/test',
        ...(secret === null ? {} : { 'x-hub-signature-256': await sign(secret, raw) }),
      },
      body: raw,
    });
    return { ...answer, deliveryId };
  }

  const pushOf = (repo: Connected, after: string) => ({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after,
    repository: { id: repo.githubId, name: repo.name, full_name: `${repo.owner}/${repo.name}` },
    pusher: { name: 'mallory' },
  });
  const repositoryEventOf = (repo: Connected, action: string, rename?: { owner: string; name: string }) => ({
    action,
    repository: {
      id: repo.githubId,
      name: rename?.name ?? repo.name,
      full_name: `${rename?.owner ?? repo.owner}/${rename?.name ?? repo.name}`,
      owner: { login: rename?.owner ?? repo.owner },
      default_branch: 'main',
    },
  });
  const installationEvent = (action: string) => ({
    action,
    installation: { id: victimInstallation, account: { login: 'victim-co' } },
    sender: { login: 'mallory' },
  });
  const installationRepositoriesEvent = () => ({
    action: 'removed',
    installation: { id: victimInstallation, account: { login: 'victim-co' } },
    repositories_added: [],
    repositories_removed: [{ id: victimPrivate.githubId, name: victimPrivate.name }],
  });

  async function connect(org: Org, repo: string, installationId?: number): Promise<Connected> {
    const connected = await api(org, 'POST', `/orgs/${org.orgId}/repos`, {
      repo,
      ...(installationId ? { installation_id: installationId } : {}),
    });
    expect(connected.status).toBe(201);
    const [owner, name] = repo.split('/') as [string, string];
    return { id: connected.body.id, githubId: Number(connected.body.github_id), owner, name };
  }

  async function scanToEnd(org: Org, repo: Connected) {
    const queued = await api(org, 'POST', `/repos/${repo.id}/scan`, {});
    expect(queued.status).toBe(202);
    return stack.harness.waitForScan({
      orgId: org.orgId,
      repoId: repo.id,
      owner: repo.owner,
      name: repo.name,
    });
  }

  /** Everything of A's that a webhook could change, and the runs of A's scan workflows. */
  async function victimState() {
    const repos = await knex()('repositories')
      .where({ org_id: victim.orgId })
      .orderBy('id')
      .select('id', 'owner', 'name', 'default_branch', 'disabled_at', 'disabled_reason', 'installation_id');
    const findings = [];
    for (const repo of [victimPrivate, victimShared]) {
      const listed = await api(victim, 'GET', `/repos/${repo.id}/findings`);
      expect(listed.status).toBe(200);
      findings.push(listed.body.items);
    }
    const runs = [];
    for (const repo of [victimPrivate, victimShared]) {
      const described = await stack.harness.temporal.client.workflow
        .getHandle(`repo-scan:${repo.id}`)
        .describe();
      runs.push({ runId: described.runId, status: described.status.name });
    }
    return {
      repos,
      installations: await knex()('github_installations')
        .where({ org_id: victim.orgId })
        .select('installation_id', 'revoked_at'),
      findings,
      runs,
      scans: await knex()('scans')
        .where({ org_id: victim.orgId })
        .orderBy('id')
        .select('id', 'status', 'commit_sha'),
      webhookAudit: await knex()('audit_logs')
        .where({ org_id: victim.orgId, actor_type: 'webhook' })
        .select('id', 'action'),
    };
  }

  const deliveryRow = (id: string) => knex()('webhook_deliveries').where({ delivery_id: id }).first();

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'xt-webhooks',
      advisories: [ADVISORY],
      withGithubApp: true,
      encryptionKey: randomBytes(32).toString('base64'),
    });
    const github = stack.harness.github;
    const privateRepo = await github.createRepo('victim-co', 'private-app', {
      privateToken: `only-${randomUUID()}`,
    });
    await privateRepo.commit(VULNERABLE, 'initial');
    const shared = await github.createRepo('oss', 'shared-lib');
    await shared.commit(VULNERABLE, 'initial');
    const own = await github.createRepo('attacker-co', 'own');
    await own.commit(VULNERABLE, 'initial');
    victimInstallation = github.createInstallation('victim-co', ['victim-co/private-app']);

    victim = await stack.createOrg('victim');
    attacker = await stack.createOrg('attacker');
    bystander = await stack.createOrg('bystander');
    // Linked as a person does it (GitHub vouches for a user who can access the installation).
    github.createUser('victim-admin', [victimInstallation]);
    const linked = await linkInstallation(
      stack,
      victim.ownerToken,
      victim.orgId,
      victimInstallation,
      'victim-admin',
    );
    expect(linked.status).toBe(200);
    victimPrivate = await connect(victim, 'victim-co/private-app', victimInstallation);
    victimShared = await connect(victim, 'oss/shared-lib');
    attackerShared = await connect(attacker, 'oss/shared-lib');
    attackerOwn = await connect(attacker, 'attacker-co/own');
    expect(attackerShared.githubId).toBe(victimShared.githubId);

    for (const repo of [victimPrivate, victimShared]) {
      expect(await scanToEnd(victim, repo)).toMatchObject({ phase: 'COMPLETED' });
    }
    const issuedA = await api(victim, 'POST', `/orgs/${victim.orgId}/webhook-secret`);
    const issuedB = await api(attacker, 'POST', `/orgs/${attacker.orgId}/webhook-secret`);
    expect([issuedA.status, issuedB.status]).toEqual([201, 201]);
    ({ secret: victimSecret, webhook_path: victimPath } = issuedA.body);
    ({ secret: attackerSecret, webhook_path: attackerPath } = issuedB.body);
    expect(attackerPath).toBe(`/api/v1/webhooks/github/orgs/${attacker.orgId}`);

    baseline = await victimState();
    // The attacks below are only meaningful if A has something to lose.
    expect(baseline.findings.map((items: unknown[]) => items.length)).toEqual([1, 1]);
    expect(baseline.installations).toEqual([
      { installation_id: String(victimInstallation), revoked_at: null },
    ]);
    expect(baseline.runs.map((r) => r.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });
  afterAll(async () => stack?.close());

  it("B's own push on B's URL scans B's repositories, and only B's copy of a repository both connected", async () => {
    const own = await deliver(attackerPath, 'push', pushOf(attackerOwn, 'a'.repeat(40)));
    expect(own.status).toBe(202);
    expect(own.body).toMatchObject({
      handled: true,
      outcome: 'scan requested',
      scans: [{ repo_id: attackerOwn.id, org_id: attacker.orgId }],
    });
    const target = { orgId: attacker.orgId, repoId: attackerOwn.id, owner: 'attacker-co', name: 'own' };
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED' });

    const shared = await deliver(attackerPath, 'push', pushOf(attackerShared, 'b'.repeat(40)));
    expect(shared.status).toBe(202);
    expect(shared.body.scans).toEqual([
      {
        repo_id: attackerShared.id,
        org_id: attacker.orgId,
        workflow_id: `repo-scan:${attackerShared.id}`,
        request_id: expect.any(String),
      },
    ]);
    expect(
      await stack.harness.waitForScan({
        ...target,
        repoId: attackerShared.id,
        owner: 'oss',
        name: 'shared-lib',
      }),
    ).toMatchObject({ phase: 'COMPLETED' });
    // The delivery is in B's audit trail, not in A's.
    const audited = await knex()('audit_logs')
      .where({ correlation_id: shared.deliveryId })
      .select('org_id', 'action');
    expect(audited).toEqual([{ org_id: attacker.orgId, action: 'scan.requested' }]);
    expect(await victimState()).toEqual(baseline);
  });

  it("B cannot claim a delivery id first and so make the App's delivery of it a duplicate", async () => {
    // Delivery ids are whatever the signer writes; B may learn one of the App's (a redelivery keeps it).
    const deliveryId = randomUUID();
    const claimed = await deliver(attackerPath, 'push', pushOf(attackerOwn, 'd'.repeat(40)), { deliveryId });
    expect(claimed.status).toBe(202);
    const fromApp = await deliver(
      '/api/v1/webhooks/github',
      'ping',
      { zen: 'hi', hook_id: 1 },
      {
        deliveryId,
        secret: stack.webhookSecret!,
      },
    );
    expect(fromApp.status).toBe(200);
    expect(fromApp.body).not.toMatchObject({ duplicate: true });
    // And the App's redelivery of it is the one treated as the duplicate.
    const redelivered = await deliver(
      '/api/v1/webhooks/github',
      'ping',
      { zen: 'hi', hook_id: 1 },
      {
        deliveryId,
        secret: stack.webhookSecret!,
      },
    );
    expect(redelivered.body).toMatchObject({ duplicate: true });
  });

  it("B's secret on B's URL: pushes and repository events naming A's repositories change nothing of A", async () => {
    const unknownRepo = { ...victimPrivate, githubId: 987_654_321 };
    const cases: [string, string, unknown][] = [
      ["a push to A's private repository", 'push', pushOf(victimPrivate, 'c'.repeat(40))],
      ["archiving A's private repository", 'repository', repositoryEventOf(victimPrivate, 'archived')],
      ["deleting A's private repository", 'repository', repositoryEventOf(victimPrivate, 'deleted')],
      [
        "renaming A's private repository",
        'repository',
        repositoryEventOf(victimPrivate, 'renamed', { owner: 'attacker-co', name: 'stolen' }),
      ],
      // Answered exactly like a repository nobody connected: B learns nothing about A.
      ['a push to a repository nobody connected', 'push', pushOf(unknownRepo, 'c'.repeat(40))],
    ];
    const answers = [];
    for (const [name, event, body] of cases) {
      const answer = await deliver(attackerPath, event, body);
      answers.push([name, answer.status, answer.body.handled, answer.body.outcome, answer.body.scans]);
    }
    expect(answers).toEqual(cases.map(([name]) => [name, 202, false, 'repository not connected', []]));

    // A repository both orgs connected: B's event reaches B's copy (it is B's to archive), never A's.
    const archived = await deliver(attackerPath, 'repository', repositoryEventOf(attackerShared, 'deleted'));
    expect([archived.status, archived.body.handled]).toEqual([202, true]);
    const attackerCopy = await api(attacker, 'GET', `/orgs/${attacker.orgId}/repos/${attackerShared.id}`);
    expect(attackerCopy.body.disabled).toEqual({ at: expect.any(String), reason: 'deleted on GitHub' });
    const pushed = await deliver(attackerPath, 'push', pushOf(attackerShared, 'd'.repeat(40)));
    expect([pushed.status, pushed.body.outcome]).toEqual([202, 'repository disabled: deleted on GitHub']);
    expect(
      (await deliver(attackerPath, 'repository', repositoryEventOf(attackerShared, 'unarchived'))).status,
    ).toBe(202);

    expect(await victimState()).toEqual(baseline);
  });

  it("B's hook cannot point B's repository at A's: a rename from an org URL is not followed", async () => {
    const renamed = await deliver(
      attackerPath,
      'repository',
      repositoryEventOf(attackerOwn, 'renamed', { owner: 'victim-co', name: 'private-app' }),
    );
    expect([renamed.status, renamed.body.handled]).toEqual([202, true]);
    const view = await api(attacker, 'GET', `/orgs/${attacker.orgId}/repos/${attackerOwn.id}`);
    expect(view.body.full_name).toBe('attacker-co/own');
    const audit = await knex()('audit_logs')
      .where({ org_id: attacker.orgId, correlation_id: renamed.deliveryId })
      .first('action', 'metadata');
    expect(audit).toMatchObject({
      action: 'repo.updated',
      metadata: { rename_ignored: 'victim-co/private-app' },
    });
    expect(await victimState()).toEqual(baseline);
  });

  it('installation events are refused on an org URL, and nothing is recorded', async () => {
    const cases: [string, unknown][] = [
      ['installation', installationEvent('deleted')],
      ['installation', installationEvent('suspend')],
      ['installation_repositories', installationRepositoriesEvent()],
    ];
    for (const [event, body] of cases) {
      const answer = await deliver(attackerPath, event, body);
      expect([event, answer.status, answer.body.error?.code]).toEqual([
        event,
        403,
        'WEBHOOK_EVENT_NOT_ALLOWED',
      ]);
      expect(await deliveryRow(answer.deliveryId)).toBeUndefined();
    }
    expect(await victimState()).toEqual(baseline);
  });

  it("B's secret on the GitHub App's URL or on A's URL is a wrong signature: 401, nothing recorded", async () => {
    const cases: [string, string, unknown][] = [
      ['/api/v1/webhooks/github', 'push', pushOf(victimPrivate, 'e'.repeat(40))],
      ['/api/v1/webhooks/github', 'repository', repositoryEventOf(victimPrivate, 'archived')],
      ['/api/v1/webhooks/github', 'installation', installationEvent('deleted')],
      ['/api/v1/webhooks/github', 'installation_repositories', installationRepositoriesEvent()],
      [victimPath, 'push', pushOf(victimPrivate, 'e'.repeat(40))],
      [victimPath, 'repository', repositoryEventOf(victimShared, 'deleted')],
    ];
    for (const [path, event, body] of cases) {
      const answer = await deliver(path, event, body);
      expect([path, event, answer.status, answer.body.error?.code]).toEqual([
        path,
        event,
        401,
        'WEBHOOK_SIGNATURE_INVALID',
      ]);
      expect(await deliveryRow(answer.deliveryId)).toBeUndefined();
    }
    expect(await victimState()).toEqual(baseline);
  });

  it('a wrong or missing signature, and the URL of an org without a secret or of no org, all get one 401', async () => {
    const push = pushOf(attackerOwn, 'f'.repeat(40));
    const answers = [
      await deliver(attackerPath, 'push', push, { secret: `whsec-${randomUUID()}` }),
      await deliver(attackerPath, 'push', push, { secret: null }),
      await deliver(attackerPath, 'push', push, { secret: victimSecret }),
      await deliver(`/api/v1/webhooks/github/orgs/${bystander.orgId}`, 'push', push),
      await deliver(`/api/v1/webhooks/github/orgs/${bystander.orgId}`, 'push', push, { secret: null }),
      await deliver(`/api/v1/webhooks/github/orgs/${randomUUID()}`, 'push', push),
      await deliver(`/api/v1/webhooks/github/orgs/${attacker.slug}`, 'push', push),
      await deliver('/api/v1/webhooks/github/orgs/not-an-org', 'ping', { zen: 'hi' }),
    ];
    const seen = answers.map((a) => [a.status, a.body]);
    expect(new Set(seen.map((s) => JSON.stringify(s)))).toEqual(
      new Set([
        JSON.stringify([
          401,
          {
            error: {
              code: 'WEBHOOK_SIGNATURE_INVALID',
              message: 'X-Hub-Signature-256 is missing or does not match the body',
              details: [],
            },
          },
        ]),
      ]),
    );
    for (const answer of answers) expect(await deliveryRow(answer.deliveryId)).toBeUndefined();
    expect(await victimState()).toEqual(baseline);
  });

  it('a secret is shown once, rotated with no overlap, removed on request, and managed only by its org', async () => {
    const org = await stack.createOrg('lifecycle');
    const viewerKey = await api(org, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: 'viewer',
      role: 'viewer',
    });
    expect(viewerKey.status).toBe(201);
    const asViewer = (method: string) =>
      stack.call(viewerKey.body.key, method, `/api/v1/orgs/${org.orgId}/webhook-secret`);

    expect((await api(org, 'GET', `/orgs/${org.orgId}/webhook-secret`)).body).toMatchObject({
      configured: false,
      updated_at: null,
      webhook_path: `/api/v1/webhooks/github/orgs/${org.orgId}`,
      webhook_url: 'https://repoguard.test' + `/api/v1/webhooks/github/orgs/${org.orgId}`,
    });
    const first = await api(org, 'POST', `/orgs/${org.orgId}/webhook-secret`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rotated: false, configured: true, content_type: 'application/json' });
    expect(first.body.secret).toMatch(/^rg_whsec_[\w-]{40,}$/);
    const path = first.body.webhook_path as string;
    const ping = { zen: 'Keep it logically awesome.', hook_id: 1 };
    expect((await deliver(path, 'ping', ping, { secret: first.body.secret })).status).toBe(200);

    // Never answered again, and sealed at rest.
    const status = await api(org, 'GET', `/orgs/${org.orgId}/webhook-secret`);
    expect(status.body).toMatchObject({ configured: true, updated_at: expect.any(String) });
    expect(JSON.stringify(status.body)).not.toContain(first.body.secret);
    const stored = await knex()('stored_secrets').where({ org_id: org.orgId, kind: 'webhook_secret' });
    expect(stored).toHaveLength(1);
    expect(stored[0].sealed).not.toContain(first.body.secret);

    // Only the org's admins manage it; another org's owner does not even learn it exists.
    expect((await asViewer('GET')).status).toBe(200);
    expect([(await asViewer('POST')).status, (await asViewer('DELETE')).status]).toEqual([403, 403]);
    for (const method of ['GET', 'POST', 'DELETE']) {
      const foreign = await api(attacker, method, `/orgs/${org.orgId}/webhook-secret`);
      expect([method, foreign.status]).toEqual([method, 404]);
    }
    expect(await knex()('stored_secrets').where({ org_id: org.orgId, kind: 'webhook_secret' })).toEqual(
      stored,
    );

    const second = await api(org, 'POST', `/orgs/${org.orgId}/webhook-secret`);
    expect(second.body).toMatchObject({ rotated: true });
    expect(second.body.secret).not.toBe(first.body.secret);
    expect((await deliver(path, 'ping', ping, { secret: first.body.secret })).status).toBe(401);
    expect((await deliver(path, 'ping', ping, { secret: second.body.secret })).status).toBe(200);

    expect((await api(org, 'DELETE', `/orgs/${org.orgId}/webhook-secret`)).status).toBe(204);
    expect((await deliver(path, 'ping', ping, { secret: second.body.secret })).status).toBe(401);
    expect((await api(org, 'GET', `/orgs/${org.orgId}/webhook-secret`)).body.configured).toBe(false);

    const audit = await knex()('audit_logs')
      .where({ org_id: org.orgId })
      .whereIn('action', ['webhook_secret.set', 'webhook_secret.removed'])
      .orderBy('created_at', 'asc')
      .select('action', 'metadata');
    expect(audit).toEqual([
      { action: 'webhook_secret.set', metadata: { rotated: false } },
      { action: 'webhook_secret.set', metadata: { rotated: true } },
      { action: 'webhook_secret.removed', metadata: expect.anything() },
    ]);
    expect(JSON.stringify(audit)).not.toContain(second.body.secret);

    // A deleted org's URL is closed whatever its stored secret.
    const doomed = await stack.createOrg('doomed');
    const issued = await api(doomed, 'POST', `/orgs/${doomed.orgId}/webhook-secret`);
    expect(
      (await deliver(issued.body.webhook_path, 'ping', ping, { secret: issued.body.secret })).status,
    ).toBe(200);
    expect((await api(doomed, 'DELETE', `/orgs/${doomed.orgId}`)).status).toBe(204);
    expect(
      (await deliver(issued.body.webhook_path, 'ping', ping, { secret: issued.body.secret })).status,
    ).toBe(401);
  });

  it('leaves A exactly as it was: no scan queued, repositories, installation and findings untouched', async () => {
    expect(await victimState()).toEqual(baseline);
  });
});
