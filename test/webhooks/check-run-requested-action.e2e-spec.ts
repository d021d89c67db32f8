// The check run's "Accept risk" button as GitHub delivers it (check_run / requested_action), on the
// real API: what is not a run of RepoGuard on a connected repository changes nothing, malformed or
// hostile payloads are refused 400, an org's own URL cannot send it, and nothing answers 5xx.
import { randomBytes, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { createAppAuth } from '@octokit/auth-app';
import { request as octokitRequest } from '@octokit/request';
import { ACCEPT_RISK_ACTION } from '@repoguard/domain';
import { deliverCheckRunEvent } from '../support/github-check-run-delivery';
import { request } from '../support/http';
import { startApiStack, type ApiStack } from '../support/api-stack';
import type { CheckRunEvent } from '../stand-ins/github-stand-in';

describe('POST /api/v1/webhooks/github: check_run requested_action', () => {
  let stack: ApiStack;
  let secret: string;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let connectedEvent: (identifier: string) => CheckRunEvent;
  let strangerEvent: CheckRunEvent;

  const knex = () => stack.harness.orm.em.getKnex();
  const riskRows = () => knex()('audit_logs').where({ org_id: org.orgId, action: 'risk.accepted' });

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'check-run-webhooks',
      withGithubApp: true,
      encryptionKey: randomBytes(32).toString('base64'),
    });
    secret = stack.webhookSecret!;
    const github = stack.harness.github;
    const owner = `acme-${randomUUID().slice(0, 8)}`;
    const connected = await github.createRepo(owner, 'checked');
    const sha = await connected.commit({ 'package-lock.json': '{}\n' });
    const stranger = await github.createRepo(owner, 'not-connected');
    const strangerSha = await stranger.commit({ 'package-lock.json': '{}\n' });
    const installationId = github.createInstallation(owner, [`${owner}/checked`, `${owner}/not-connected`]);
    org = await stack.createOrg('checks');
    const answer = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
      repo: `${owner}/checked`,
    });
    expect(answer.status).toBe(201);

    // Runs made by the App (the one the API is configured with), as GitHub would hold them.
    const app = stack.harness.githubApp!;
    const auth = createAppAuth({
      appId: app.appId,
      privateKey: app.privateKeyPem,
      request: octokitRequest.defaults({ baseUrl: github.url }),
    });
    const { token } = await auth({ type: 'installation', installationId });
    const createRun = async (repo: string, headSha: string) => {
      const created = await fetch(`${github.url}/repos/${owner}/${repo}/check-runs`, {
        method: 'POST',
        headers: { authorization: `token ${token}` },
        body: JSON.stringify({ name: 'RepoGuard', head_sha: headSha, external_id: randomUUID() }),
      });
      return ((await created.json()) as { id: number }).id;
    };
    const connectedRun = await createRun('checked', sha);
    const strangerRun = await createRun('not-connected', strangerSha);
    connectedEvent = (identifier) =>
      github.checkRunEvent(connectedRun, 'requested_action', { sender: 'octocat', identifier });
    strangerEvent = github.checkRunEvent(strangerRun, 'requested_action', {
      sender: 'octocat',
      identifier: ACCEPT_RISK_ACTION,
    });
  });
  afterAll(async () => stack?.close());

  it('answers a run on a repository nobody connected 202 with the reason, and records nothing else', async () => {
    const answer = await deliverCheckRunEvent(stack.url, secret, strangerEvent);

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ handled: false, outcome: 'repository not connected' });
    expect(await riskRows()).toEqual([]);
  });

  it('does not act on another action of a connected repository’s run', async () => {
    const answer = await deliverCheckRunEvent(stack.url, secret, connectedEvent('something_else'));

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ handled: false, outcome: 'action not acted on' });
  });

  it('refuses malformed and hostile payloads with 400, never a 5xx', async () => {
    const { payload } = connectedEvent(ACCEPT_RISK_ACTION);
    const run = payload['check_run'] as Record<string, unknown>;
    const hostile: Record<string, unknown>[] = [
      { ...payload, sender: { login: 'octo cat; drop table' } },
      { ...payload, sender: { login: 'x'.repeat(5000) } },
      { ...payload, sender: null },
      { ...payload, check_run: { ...run, id: 'not-a-number' } },
      { ...payload, check_run: { ...run, id: -1 } },
      { ...payload, check_run: { ...run, head_sha: '../../etc/passwd' } },
      { ...payload, check_run: { ...run, external_id: { nested: [[[[]]]] } } },
      { ...payload, repository: { id: '1 or 1=1' } },
      { ...payload, check_run: 'a string' },
    ];
    for (const body of hostile) {
      const answer = await deliverCheckRunEvent(stack.url, secret, { event: 'check_run', payload: body });
      expect({ status: answer.status, code: answer.body.error?.code }).toEqual({
        status: 400,
        code: 'MALFORMED_JSON',
      });
    }
    expect(await riskRows()).toEqual([]);
  });

  it('is refused on an org’s own webhook URL, and unsigned or forged deliveries have no effect', async () => {
    const issued = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/webhook-secret`);
    expect(issued.status).toBe(201);
    const raw = JSON.stringify(connectedEvent(ACCEPT_RISK_ACTION).payload);
    const send = async (path: string, signature: string) =>
      request(`${stack.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'check_run',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': signature,
        },
        body: raw,
      });

    const orgUrl = await send(issued.body.webhook_path, await sign(issued.body.secret, raw));
    expect(orgUrl.status).toBe(403);
    expect(orgUrl.body.error.code).toBe('WEBHOOK_EVENT_NOT_ALLOWED');
    const forged = await send('/api/v1/webhooks/github', await sign('not-the-secret', raw));
    expect(forged.status).toBe(401);
    expect(await riskRows()).toEqual([]);
  });

  it('refuses check_run and check_suite rerequests on an org’s own webhook URL too (App only)', async () => {
    const issued = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/webhook-secret`);
    expect(issued.status).toBe(201);
    const { payload } = connectedEvent(ACCEPT_RISK_ACTION);
    const run = payload['check_run'] as Record<string, unknown>;
    const deliveries = {
      check_run: { ...payload, action: 'rerequested' },
      check_suite: {
        action: 'rerequested',
        check_suite: { id: 1, head_sha: run['head_sha'], pull_requests: [] },
        repository: payload['repository'],
        sender: payload['sender'],
      },
    };
    for (const [event, body] of Object.entries(deliveries)) {
      const raw = JSON.stringify(body);
      const answer = await request(`${stack.url}${issued.body.webhook_path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': await sign(issued.body.secret, raw),
        },
        body: raw,
      });
      expect({ event, status: answer.status, code: answer.body.error?.code }).toEqual({
        event,
        status: 403,
        code: 'WEBHOOK_EVENT_NOT_ALLOWED',
      });
    }
    const requested = await knex()('audit_logs').where({
      org_id: org.orgId,
      action: 'pull_request_check.requested',
    });
    expect(requested).toEqual([]);
  });
});
