// Deletion leaves nothing live, through the real API on the real stack: a deleted org's keys,
// invitations, secrets, installations and running scans stop at once and its webhooks do nothing;
// a purge mid-scan leaves no row that names the repository, even when Temporal cannot be reached
// to stop the scan; a disconnect deletes the repository's sealed credentials and stops its scan.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples';
import { startApiProcess, testApiEnv } from '../support/api-process';
import { linkInstallation } from '../support/github-link';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { request, type JsonResponse } from '../support/http';
import { startGitHttpStandIn, type GitHttpStandIn } from '../stand-ins/git-http-stand-in';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');

// Real GitHub shapes: the published examples, re-pointed at our repository or installation.
interface PushExample {
  ref: string;
  head_commit: Record<string, unknown> | null;
  repository: Record<string, unknown>;
}
const PUSH_EXAMPLE = (examples.find((d) => d.name === 'push')!.examples as unknown as PushExample[]).find(
  (e) => e.ref.startsWith('refs/heads/'),
)!;
const REPOSITORY_EXAMPLE = examples.find((d) => d.name === 'repository')!.examples[0] as unknown as {
  repository: Record<string, unknown> & { owner: Record<string, unknown> };
};

const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** A port nothing listens on: a Temporal that cannot be reached. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('deletion leaves nothing live', () => {
  let stack: ApiStack;
  let gitHttp: GitHttpStandIn;

  beforeAll(async () => {
    gitHttp = await startGitHttpStandIn();
    stack = await startApiStack({
      name: 'deletion',
      withGithubApp: true,
      encryptionKey: ENCRYPTION_KEY,
      gitCaFile: gitHttp.caFile,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await gitHttp?.close();
  });

  const api = (token: string | null, method: string, path: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${path}`, body);
  const knex = () => stack.harness.orm.em.getKnex();
  const workflow = (repoId: string) =>
    stack.harness.temporal.client.workflow.getHandle(`repo-scan:${repoId}`);
  /** The scan workflow once it has closed: a cancellation takes effect at its next workflow task. */
  const closed = async (repoId: string) => {
    await workflow(repoId)
      .result()
      .catch(() => undefined);
    return workflow(repoId).describe();
  };

  async function expectStatus(response: Promise<JsonResponse>, status: number, step: string) {
    const answer = await response;
    if (answer.status !== status) {
      throw new Error(`${step}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    // Tests assert on the shape themselves.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return answer.body as any;
  }

  async function deliver(event: string, payload: unknown): Promise<JsonResponse> {
    const raw = JSON.stringify(payload);
    return request(`${stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': await sign(stack.webhookSecret!, raw),
      },
      body: raw,
    });
  }

  /** Every row of every table with a repo_id column that names the repository, by table. */
  async function rowsNaming(repoId: string, snapshotIds: readonly string[]): Promise<Record<string, number>> {
    const columns: { table_name: string; column_name: string }[] = await knex()
      .from('information_schema.columns')
      .where({ table_schema: 'public' })
      .whereIn('column_name', ['repo_id', 'snapshot_id', 'last_snapshot_id', 'owner_id'])
      .select('table_name', 'column_name');
    expect(columns.filter((c) => c.column_name === 'repo_id').length).toBeGreaterThanOrEqual(4);
    const found: Record<string, number> = {};
    for (const { table_name: table, column_name: column } of columns) {
      const ids = column === 'repo_id' || column === 'owner_id' ? [repoId] : snapshotIds;
      if (ids.length === 0) continue;
      const [row] = await knex()(table)
        .whereRaw(`??::text in (${ids.map(() => '?').join(', ')})`, [column, ...ids])
        .count({ n: '*' });
      const n = Number(row!.n);
      if (n > 0) found[`${table}.${column}`] = n;
    }
    return found;
  }

  /** A public GitHub repository with a manifest of its own (its blob is new to the database). */
  async function githubRepo(owner: string, name: string) {
    const repo = await stack.harness.github.createRepo(owner, name);
    await repo.commit({ 'requirements.txt': `requests==2.19.0\n# ${randomUUID()}\n` }, 'initial');
    return repo;
  }

  const treeOf = (owner: string, name: string) => (r: { path: string }) =>
    r.path.startsWith(`/repos/${owner}/${name}/git/trees/`);

  it('deleting an org revokes its keys and invitations, deletes its secrets, unlinks its installation and cancels its scan; webhooks about it then do nothing', async () => {
    const github = stack.harness.github;
    const account = unique('doomed-gh');
    const repo = await github.createRepo(account, 'app', { privateToken: `only-${randomUUID()}` });
    await repo.commit({ 'requirements.txt': `requests==2.19.0\n# ${randomUUID()}\n` }, 'initial');
    const installation = github.createInstallation(account, [`${account}/app`]);
    const org = await stack.createOrg('doomed');
    const bystander = await stack.createOrg('bystander');

    const githubUser = unique('doomed-admin');
    github.createUser(githubUser, [installation]);
    await expectStatus(
      linkInstallation(stack, org.ownerToken, org.orgId, installation, githubUser),
      200,
      'linking the installation',
    );
    await expectStatus(
      api(org.ownerToken, 'PUT', `/orgs/${org.orgId}/github/token`, { token: `ghp_${randomUUID()}` }),
      200,
      'setting the org GitHub token',
    );
    const connected = await expectStatus(
      api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
        repo: `${account}/app`,
        installation_id: installation,
      }),
      201,
      'connecting through the installation',
    );
    const repoId: string = connected.id;
    const githubId = Number(connected.github_id);
    const key = await expectStatus(
      api(org.ownerToken, 'POST', '/auth/api-keys', { org_id: org.orgId, name: 'ci', role: 'admin' }),
      201,
      'creating an API key',
    );
    const invitation = await expectStatus(
      api(org.ownerToken, 'POST', `/orgs/${org.orgId}/invite`, {
        email: `${unique('late')}@example.test`,
        role: 'viewer',
      }),
      201,
      'inviting',
    );
    // The other tenant has a key and a secret of its own; neither may change.
    await expectStatus(
      api(bystander.ownerToken, 'PUT', `/orgs/${bystander.orgId}/github/token`, {
        token: `ghp_${randomUUID()}`,
      }),
      200,
      "setting the bystander's token",
    );
    const bystanderKey = await expectStatus(
      api(bystander.ownerToken, 'POST', '/auth/api-keys', {
        org_id: bystander.orgId,
        name: 'ci',
        role: 'viewer',
      }),
      201,
      "creating the bystander's key",
    );
    const bystanderSecrets = await knex()('stored_secrets').where({ org_id: bystander.orgId }).orderBy('id');
    expect(bystanderSecrets).toHaveLength(1);
    expect(await knex()('stored_secrets').where({ org_id: org.orgId })).toHaveLength(1);

    // A scan held at its tree fetch: in flight when the org goes.
    const hold = github.holdNext(treeOf(account, 'app'));
    await expectStatus(api(org.ownerToken, 'POST', `/repos/${repoId}/scan`, {}), 202, 'requesting a scan');
    await hold.arrived;
    const before = await workflow(repoId).describe();
    expect(before.status.name).toBe('RUNNING');

    await expectStatus(api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}`), 204, 'deleting the org');
    // Cancelled by the deletion itself (not terminated: its failure record may run), while its
    // fetch was still unanswered.
    const after = await closed(repoId);
    expect([after.status.name, after.runId]).toEqual(['CANCELLED', before.runId]);
    hold.release();

    const keyAnswer = await api(key.key, 'GET', '/orgs/me');
    expect(keyAnswer.status).toBe(401);
    expect((await api(org.ownerToken, 'GET', '/orgs/me')).body.items).toEqual([]);
    expect((await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/repos`)).status).toBe(404);
    const late = await stack.call(null, 'POST', invitation.accept_path);
    expect([late.status, late.body.error.code]).toEqual([410, 'INVITATION_EXPIRED']);
    expect(await knex()('stored_secrets').where({ org_id: org.orgId })).toEqual([]);
    expect(await knex()('github_installations').where({ org_id: org.orgId })).toEqual([]);
    expect(await knex()('github_installations').where({ installation_id: installation })).toEqual([]);
    expect(await knex()('repositories').where({ org_id: org.orgId })).toEqual([]);

    // Webhooks about its repository and installation: answered, and without any effect.
    const audited = async () => knex()('audit_logs').where({ org_id: org.orgId }).orderBy('id').pluck('id');
    const scans = async () => knex()('scans').where({ repo_id: repoId }).orderBy('id').select('id', 'status');
    const [auditBefore, scansBefore] = [await audited(), await scans()];
    const sha = await repo.commit({ 'requirements.txt': 'requests==2.20.0\n' }, 'after the deletion');
    const push = await deliver('push', {
      ...PUSH_EXAMPLE,
      ref: 'refs/heads/main',
      after: sha,
      head_commit: { ...PUSH_EXAMPLE.head_commit, id: sha },
      repository: { ...PUSH_EXAMPLE.repository, id: githubId },
    });
    expect([push.status, push.body.handled, push.body.scans]).toEqual([202, false, []]);
    const renamed = await deliver('repository', {
      ...REPOSITORY_EXAMPLE,
      action: 'renamed',
      repository: {
        ...REPOSITORY_EXAMPLE.repository,
        id: githubId,
        name: 'renamed',
        full_name: `${account}/renamed`,
        owner: { ...REPOSITORY_EXAMPLE.repository.owner, login: account },
      },
    });
    expect([renamed.status, renamed.body.handled]).toEqual([202, false]);
    const uninstalled = await deliver('installation', {
      action: 'deleted',
      installation: { id: installation, account: { login: account } },
      sender: { login: account },
    });
    expect([uninstalled.status, uninstalled.body.handled]).toEqual([202, false]);
    const last = await workflow(repoId).describe();
    expect([last.status.name, last.runId]).toEqual(['CANCELLED', before.runId]);
    expect(await audited()).toEqual(auditBefore);
    expect(await scans()).toEqual(scansBefore);
    expect(await knex()('findings').where({ repo_id: repoId })).toEqual([]);
    expect(await knex()('dependency_snapshots').where({ repo_id: repoId })).toEqual([]);

    // The other tenant is untouched.
    expect((await api(bystanderKey.key, 'GET', `/orgs/${bystander.orgId}/repos`)).status).toBe(200);
    expect(await knex()('stored_secrets').where({ org_id: bystander.orgId }).orderBy('id')).toEqual(
      bystanderSecrets,
    );
  });

  it('purging a repository mid-scan leaves no row that names it, and stops the scan', async () => {
    const owner = unique('purge-gh');
    const repo = await githubRepo(owner, 'svc');
    const org = await stack.createOrg('purge');
    const connected = await expectStatus(
      api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, { repo: `${owner}/svc` }),
      201,
      'connecting',
    );
    const repoId: string = connected.id;
    const target = { orgId: org.orgId, repoId, owner, name: 'svc' };
    // A finished scan first, so there is history to purge.
    await expectStatus(api(org.ownerToken, 'POST', `/repos/${repoId}/scan`, {}), 202, 'the first scan');
    expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED' });
    const snapshotIds: string[] = await knex()('dependency_snapshots').where({ repo_id: repoId }).pluck('id');
    expect(snapshotIds).toHaveLength(1);
    expect(Object.keys(await rowsNaming(repoId, snapshotIds)).sort()).toEqual(
      expect.arrayContaining(['dependencies.snapshot_id', 'dependency_snapshots.repo_id', 'scans.repo_id']),
    );

    await repo.commit({ 'requirements.txt': `requests==2.20.0\n# ${randomUUID()}\n` }, 'second');
    const hold = stack.harness.github.holdNext(treeOf(owner, 'svc'));
    await expectStatus(api(org.ownerToken, 'POST', `/repos/${repoId}/scan`, {}), 202, 'the second scan');
    await hold.arrived;
    await expectStatus(
      api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/repos/${repoId}?purge=true`),
      204,
      'purging',
    );
    expect((await closed(repoId)).status.name).toBe('CANCELLED');
    // The held step goes on once released; it has nothing left to write back.
    hold.release();
    expect(await rowsNaming(repoId, snapshotIds)).toEqual({});
  });

  it('a purge while Temporal cannot be reached still holds: the scan ends at its next step and writes nothing back', async () => {
    // Another API process on the same database, whose Temporal cannot be reached, does the purge.
    const offline = await startApiProcess(
      testApiEnv({
        TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`,
        TEMPORAL_TASK_QUEUE: stack.harness.taskQueue,
        GITHUB_API_URL: stack.harness.github.url,
        REPOGUARD_ENCRYPTION_KEY: ENCRYPTION_KEY,
      }),
    );
    try {
      const owner = unique('offline-gh');
      const repo = await githubRepo(owner, 'svc');
      const org = await stack.createOrg('offline');
      const connected = await expectStatus(
        api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, { repo: `${owner}/svc` }),
        201,
        'connecting',
      );
      const repoId: string = connected.id;
      const target = { orgId: org.orgId, repoId, owner, name: 'svc' };
      await expectStatus(api(org.ownerToken, 'POST', `/repos/${repoId}/scan`, {}), 202, 'the first scan');
      expect(await stack.harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED' });
      const snapshotIds: string[] = await knex()('dependency_snapshots')
        .where({ repo_id: repoId })
        .pluck('id');

      await repo.commit({ 'requirements.txt': `requests==2.20.0\n# ${randomUUID()}\n` }, 'second');
      const hold = stack.harness.github.holdNext(treeOf(owner, 'svc'));
      await expectStatus(api(org.ownerToken, 'POST', `/repos/${repoId}/scan`, {}), 202, 'the second scan');
      await hold.arrived;
      const running = await workflow(repoId).describe();
      expect(running.status.name).toBe('RUNNING');

      const purged = await request(`${offline.url}/api/v1/orgs/${org.orgId}/repos/${repoId}?purge=true`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${org.ownerToken}` },
      });
      expect(purged.status).toBe(204);
      expect(await rowsNaming(repoId, snapshotIds)).toEqual({});

      hold.release();
      // Not cancelled (that API could not reach Temporal): the run goes on, its next write finds
      // the repository gone, and it ends there by itself.
      expect(await stack.harness.waitForScan(target)).toMatchObject({
        phase: 'FAILED',
        errorCode: 'REPO_DISCONNECTED',
      });
      const ended = await workflow(repoId).describe();
      expect([ended.status.name, ended.runId]).toEqual(['COMPLETED', running.runId]);
      expect(await rowsNaming(repoId, snapshotIds)).toEqual({});
    } finally {
      await offline.close();
    }
  });

  it("disconnecting a repository deletes its sealed credentials and cancels its scan, and nothing else's", async () => {
    const org = await stack.createOrg('creds');
    const owner = unique('creds');
    const login = { username: 'scanner', password: `git-password-${randomUUID()}` };
    const connect = async (name: string) => {
      const local = await stack.harness.github.createRepo(owner, name);
      await local.commit({ 'requirements.txt': `requests==2.19.0\n# ${randomUUID()}\n` }, 'initial');
      const url = gitHttp.serve(owner, name, local.path, login);
      const body = await expectStatus(
        api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, { git_url: url, git_credentials: login }),
        201,
        `connecting ${name}`,
      );
      return body.id as string;
    };
    const [gone, kept] = [await connect('gone'), await connect('kept')];
    await expectStatus(
      api(org.ownerToken, 'PUT', `/orgs/${org.orgId}/github/token`, { token: `ghp_${randomUUID()}` }),
      200,
      'setting the org GitHub token',
    );
    const secrets = async () =>
      knex()('stored_secrets')
        .where({ org_id: org.orgId })
        .orderBy('id')
        .select('id', 'kind', 'owner_id', 'sealed');
    const before = await secrets();
    expect(before.map((s) => `${s.kind}:${s.owner_id}`).sort()).toEqual(
      ['github_token:null', `git_credentials:${gone}`, `git_credentials:${kept}`].sort(),
    );

    const hold = gitHttp.holdNext((r) => r.url.startsWith(`/${owner}/gone.git/`));
    await expectStatus(api(org.ownerToken, 'POST', `/repos/${gone}/scan`, {}), 202, 'requesting a scan');
    await hold.arrived;
    const running = await workflow(gone).describe();
    expect(running.status.name).toBe('RUNNING');

    await expectStatus(
      api(org.ownerToken, 'DELETE', `/orgs/${org.orgId}/repos/${gone}`),
      204,
      'disconnecting',
    );
    const after = await closed(gone);
    expect([after.status.name, after.runId]).toEqual(['CANCELLED', running.runId]);
    hold.release();

    expect(await secrets()).toEqual(before.filter((s) => s.owner_id !== gone));
    const audit = await knex()('audit_logs')
      .where({ org_id: org.orgId, action: 'repo.disconnected', target_id: gone })
      .pluck('metadata');
    expect(audit).toEqual([expect.objectContaining({ purge: false, secrets_deleted: 1 })]);
    // The other repository still scans with its own login.
    await expectStatus(api(org.ownerToken, 'POST', `/repos/${kept}/scan`, {}), 202, 'scanning the kept one');
    expect(
      await stack.harness.waitForScan({ orgId: org.orgId, repoId: kept, owner, name: 'kept' }),
    ).toMatchObject({
      phase: 'COMPLETED',
    });
  });
});
