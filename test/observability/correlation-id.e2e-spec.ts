// Issue 7's correlation acceptance test: one X-Request-Id, sent with a scan request, is found in the
// API's log lines, the audit row, the scan workflow's memo, the Temporal headers of the signal and
// of every activity, and every activity's log lines.
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { captureLogs, type LogRecord } from '../support/log-capture';
import { temporalLogs } from '../support/temporal-logging';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { CORRELATION_ID_HEADER } from '@repoguard/contract';

const CORRELATION_ID = 'abc-123';
const STEPS = ['fetchManifest', 'parse', 'osvQuery', 'persist', 'evaluatePolicy'];
// Each step's name in its log lines: the same as in the API's phase_timings_ms and the metrics' phase label.
const PHASES = ['fetch', 'parse', 'match', 'persist', 'evaluate'];
const WEBHOOK_SECRET = `whsec-${randomUUID()}`;
const PUSH_EXAMPLE = (
  examples.find((d) => d.name === 'push')!.examples as unknown as { ref: string; head_commit: object }[]
).find((e) => e.ref.startsWith('refs/heads/'))!;

describe('one correlation id from request to activity', () => {
  const apiLogs = captureLogs();
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'correlation-id',
      // The request lines are info lines; tests default to warn.
      env: { LOG_LEVEL: 'info', GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET },
      logs: apiLogs,
    });
  });
  afterAll(async () => stack?.close());

  async function connectRepo() {
    const org = await stack.createOrg('Correlation');
    const name = `traced-${randomUUID().slice(0, 8)}`;
    const repo = await stack.harness.github.createRepo('acme', name);
    await repo.commit({ 'requirements.txt': 'requests==2.31.0\n' });
    const connected = await stack.call(org.ownerToken, 'POST', `/api/v1/orgs/${org.orgId}/repos`, {
      repo: `acme/${name}`,
    });
    expect(connected.status).toBe(201);
    return { org, repo, repoId: connected.body.id as string };
  }

  it('carries X-Request-Id into the log lines, the audit row, the memo and the activity logs', async () => {
    const { org, repoId } = await connectRepo();
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      stack.call(org.ownerToken, method, `/api/v1${path}`, body, headers);

    const requested = await api('POST', `/repos/${repoId}/scan`, {}, { 'x-request-id': CORRELATION_ID });
    expect(requested.status).toBe(202);
    expect(requested.headers.get('x-request-id')).toBe(CORRELATION_ID);
    const { scan_id: scanId, workflow_id: workflowId, run_id: runId } = requested.body;
    let scan = (await api('GET', `/scans/${scanId}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api('GET', `/scans/${scanId}`)).body;
    }
    expect(scan.status).toBe('COMPLETED');

    // The API's log: the scan request's own line, with route pattern, actor and org.
    const isRequestLine = (r: LogRecord) =>
      r.correlationId === CORRELATION_ID && r.msg === 'request completed';
    const requestLines = (await apiLogs.until((records) => records.some(isRequestLine))).filter(
      isRequestLine,
    );
    expect(requestLines).toEqual([
      expect.objectContaining({
        service: 'api',
        method: 'POST',
        route: '/api/v1/repos/:repo_id/scan',
        status: 202,
        orgId: org.orgId,
        actor: `user:${org.ownerId}`,
        durationMs: expect.any(Number),
      }),
    ]);

    // The audit row of the request.
    const audit = await api('GET', `/orgs/${org.orgId}/audit-logs?action=scan.requested`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'scan.requested',
        target_id: repoId,
        correlation_id: CORRELATION_ID,
      }),
    ]);

    // The workflow run's memo.
    const described = await stack.harness.temporal.client.workflow.getHandle(workflowId, runId).describe();
    expect(described.memo).toEqual(expect.objectContaining({ correlationId: CORRELATION_ID }));

    // The header: on the signal the API sent, and on every activity the run scheduled.
    const history = await stack.harness.temporal.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const headerId = (header: { fields?: Record<string, Payload> | null } | null | undefined) => {
      const payload = header?.fields?.[CORRELATION_ID_HEADER];
      return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
    };
    const events = history.events ?? [];
    const signalled = events.filter((e) => e.workflowExecutionSignaledEventAttributes);
    expect(signalled.map((e) => headerId(e.workflowExecutionSignaledEventAttributes!.header))).toContain(
      CORRELATION_ID,
    );
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes!.activityType?.name)).toEqual(STEPS);
    for (const event of scheduled) {
      expect(headerId(event.activityTaskScheduledEventAttributes!.header)).toBe(CORRELATION_ID);
    }

    // Every step's log lines, as the worker writes them: with workflow, run, activity and attempt.
    const stepLines = temporalLogs
      .records()
      .filter((r) => r.workflowId === workflowId && r.runId === runId && typeof r.activityType === 'string');
    for (const [index, step] of STEPS.entries()) {
      for (const msg of ['step started', 'step completed']) {
        expect(stepLines).toContainEqual(
          expect.objectContaining({
            msg,
            activityType: step,
            phase: PHASES[index],
            correlationId: CORRELATION_ID,
            scanId,
            attempt: 1,
            namespace: expect.any(String),
            taskQueue: stack.harness.taskQueue,
          }),
        );
      }
    }
    expect(stepLines.every((r) => r.correlationId === CORRELATION_ID)).toBe(true);
  });

  it("uses a webhook's delivery id, on the lines logged while the delivery is handled too", async () => {
    const { repo, repoId } = await connectRepo();
    const sha = await repo.commit({ 'requirements.txt': 'requests==2.32.0\n' }, 'bump');
    const row = await stack.harness.orm.em
      .getKnex()('repositories')
      .where({ id: repoId })
      .first('external_id');
    const body = JSON.stringify({
      ...PUSH_EXAMPLE,
      ref: 'refs/heads/main',
      after: sha,
      head_commit: { ...PUSH_EXAMPLE.head_commit, id: sha },
      repository: {
        ...(PUSH_EXAMPLE as unknown as { repository: object }).repository,
        id: Number(row.external_id),
      },
    });
    const deliveryId = randomUUID();
    const delivered = await fetch(`${stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': deliveryId,
        'x-request-id': 'ignored-for-webhooks',
        'x-hub-signature-256': await sign(WEBHOOK_SECRET, body),
      },
      body,
    });
    expect({ status: delivered.status, body: await delivered.text() }).toMatchObject({ status: 202 });
    expect(delivered.headers.get('x-request-id')).toBe(deliveryId);

    const ofDelivery = (r: LogRecord) => r.correlationId === deliveryId;
    const lines = (
      await apiLogs.until((records) => records.some((r) => ofDelivery(r) && r.msg === 'request completed'))
    ).filter(ofDelivery);
    // The service's own line, logged inside the request: it carries the id without being told to.
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining(`delivery ${deliveryId}: push`) }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        route: '/api/v1/webhooks/github',
        actor: 'webhook:github',
      }),
    );
    await stack.harness.waitForScan({ orgId: '', repoId, owner: 'acme', name: '' });
    const steps = temporalLogs
      .records()
      .filter((r) => r.workflowId === `repo-scan:${repoId}` && r.msg === 'step completed');
    expect(steps.map((r) => r.activityType).sort()).toEqual([...STEPS].sort());
    expect(steps.every((r) => r.correlationId === deliveryId)).toBe(true);
  });
});
