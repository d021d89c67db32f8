// An org's periodic rescan through the API: set by admins and owners (validated field by field,
// audited), turned into a Temporal Schedule by the API's reconciler, and, when it fires, a scan
// of each of the org's repositories by the worker.
import { ScheduleNotFoundError } from '@temporalio/client';
import { RepoGuardOrgId, rescanScheduleId } from '@repoguard/contract';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { waitFor } from '../support/notification-fixtures';

const VALID = { frequency: 'daily', hour: 1, timezone: 'UTC' };

describe('org rescan schedules', () => {
  let stack: ApiStack;
  const api = (token: string | null, method: string, path: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${path}`, body);

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'rescan-schedule',
      env: { NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS: '300' },
    });
    const repo = await stack.harness.github.createRepo('rescans', 'legacy');
    await repo.commit({ 'requirements.txt': 'requests==2.19.0\n' }, 'initial');
  });
  afterAll(async () => stack?.close());

  it('refuses each bad field with a 400 naming it, another org with 404 and a viewer with 403', async () => {
    const org = await stack.createOrg('rescan-guard');
    const other = await stack.createOrg('rescan-stranger');
    const path = `/orgs/${org.orgId}/rescan-schedule`;

    const bad = await api(org.ownerToken, 'PUT', path, {
      frequency: 'hourly',
      hour: 24,
      timezone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'frequency',
      'hour',
      'timezone',
    ]);
    for (const [body, field] of [
      [{ frequency: 'weekly', hour: 3, timezone: 'UTC' }, 'weekday'],
      [{ frequency: 'daily', hour: 3, timezone: 'UTC', weekday: 2 }, 'weekday'],
      [{ frequency: 'daily', hour: '3', timezone: 'UTC' }, 'hour'],
      [{ frequency: 'daily', hour: 3.5, timezone: 'UTC' }, 'hour'],
      [{ frequency: 'daily', hour: 3, timezone: { nested: { deeper: ['x'] } } }, 'timezone'],
      [{ frequency: 'daily', hour: 3, timezone: 'x'.repeat(10_000) }, 'timezone'],
      [{ frequency: 'daily', hour: 3, timezone: 'UTC', extra: true }, 'extra'],
    ] as const) {
      const refused = await api(org.ownerToken, 'PUT', path, body);
      expect([refused.status, refused.body.error.details.map((d: { field: string }) => d.field)]).toEqual([
        400,
        [field],
      ]);
    }
    expect((await api(org.ownerToken, 'PUT', path, '[1,2')).status).toBe(400);
    expect((await api(org.ownerToken, 'GET', path)).body.error.code).toBe('RESCAN_SCHEDULE_NOT_FOUND');

    // Another org's owner learns nothing of this org.
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await api(other.ownerToken, method, path, method === 'PUT' ? VALID : undefined);
      expect([method, answer.status]).toEqual([method, 404]);
    }
    const invite = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/invite`, {
      email: `v-${org.slug}@example.test`,
      role: 'viewer',
    });
    const viewer = (await stack.call(null, 'POST', invite.body.accept_path)).body.token;
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await api(viewer, method, path, method === 'PUT' ? VALID : undefined);
      expect([method, answer.status]).toEqual([method, 403]);
    }
  });

  it("is set, shown in Temporal as the org's Schedule, scans the org's repositories when it fires, and goes when removed", async () => {
    const org = await stack.createOrg('rescan-owner');
    const path = `/orgs/${org.orgId}/rescan-schedule`;
    const connected = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/repos`, {
      repo: 'rescans/legacy',
    });
    expect(connected.status).toBe(201);

    const set = await api(org.ownerToken, 'PUT', path, {
      frequency: 'weekly',
      hour: 4,
      weekday: 0,
      timezone: 'America/Sao_Paulo',
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      org_id: org.orgId,
      frequency: 'weekly',
      hour: 4,
      weekday: 0,
      timezone: 'America/Sao_Paulo',
      temporal_schedule_id: rescanScheduleId(org.orgId),
      updated_by: `user:${org.ownerId}`,
      updated_at: expect.any(String),
    });
    expect((await api(org.ownerToken, 'GET', path)).body).toEqual(set.body);

    const handle = stack.harness.temporal.client.schedule.getHandle(rescanScheduleId(org.orgId));
    const described = await waitFor('the rescan Schedule', () => handle.describe().catch(() => null));
    expect(described.spec.timezone).toBe('America/Sao_Paulo');
    expect(described.typedSearchAttributes.get(RepoGuardOrgId)).toBe(org.orgId);

    // A daily schedule replaces it, in place.
    await api(org.ownerToken, 'PUT', path, { frequency: 'daily', hour: 5, timezone: 'UTC' });
    await waitFor('the Schedule updated', async () => (await handle.describe()).spec.timezone === 'UTC');

    await handle.trigger();
    const scan = await waitFor(
      'a scheduled scan completed',
      async () => {
        const scans = await api(org.ownerToken, 'GET', `/repos/${connected.body.id}/scans`);
        const done = (scans.body.items ?? []).find(
          (s: { trigger: string; status: string }) => s.trigger === 'schedule' && s.status === 'COMPLETED',
        );
        return done ?? null;
      },
      60_000,
    );
    expect(scan).toMatchObject({ trigger: 'schedule', status: 'COMPLETED' });

    expect((await api(org.ownerToken, 'DELETE', path)).status).toBe(204);
    expect((await api(org.ownerToken, 'DELETE', path)).status).toBe(404);
    await waitFor('the Schedule removed', () =>
      handle.describe().then(
        () => false,
        (error: unknown) => error instanceof ScheduleNotFoundError,
      ),
    );
    const actions = await stack.harness.orm.em
      .getKnex()('audit_logs')
      .where({ org_id: org.orgId })
      .whereIn('action', ['rescan_schedule.set', 'rescan_schedule.removed'])
      .orderBy('created_at')
      .pluck('action');
    expect(actions).toEqual(['rescan_schedule.set', 'rescan_schedule.set', 'rescan_schedule.removed']);
  });
});
