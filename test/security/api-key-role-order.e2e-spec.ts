// Issue 14: roles are ordered (owner > admin > viewer) on the API-key routes as on the member
// routes: an admin cannot revoke an owner's key or create one above its own role, and leaves the
// key working and the audit log untouched when it tries. An org's own rate limit cannot exceed the
// instance's: refused on update, and clamped at run time for rows stored before.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request } from '../support/http';

const INSTANCE_LIMIT = 200;

describe('API keys and org limits respect the order of roles and the instance', () => {
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  let app: ApiProcess;
  let db: Client;
  let orgId: string;
  let owner: string;
  let admin: string;
  let ownerId: string;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    request(`${app.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function createKey(token: string, role: string) {
    return api(token, 'POST', '/auth/api-keys', {
      org_id: orgId,
      name: `k-${randomUUID().slice(0, 8)}`,
      role,
    });
  }

  async function keyRow(id: string) {
    const { rows } = await db.query<{ revoked_at: Date | null }>(
      'select revoked_at from api_keys where id = $1',
      [id],
    );
    return rows[0];
  }

  async function auditActions(): Promise<string[]> {
    const { rows } = await db.query<{ action: string }>(
      'select action from audit_logs where org_id = $1 order by created_at, action',
      [orgId],
    );
    return rows.map((r) => r.action);
  }

  beforeAll(async () => {
    app = await startApiProcess(
      testApiEnv({ REPOGUARD_ADMIN_TOKEN: adminToken, RATE_LIMIT_PER_MINUTE: String(INSTANCE_LIMIT) }),
    );
    db = new Client({ connectionString: process.env['DATABASE_URL'] });
    await db.connect();
    const slug = `roles-${randomUUID().slice(0, 8)}`;
    const created = await api(adminToken, 'POST', '/orgs', {
      name: 'Roles',
      slug,
      owner_email: `owner-${slug}@example.test`,
    });
    expect(created.status).toBe(201);
    orgId = created.body.org.id;
    owner = created.body.token;
    ownerId = created.body.owner.id;
    const invited = await api(owner, 'POST', `/orgs/${orgId}/invite`, {
      email: `admin-${slug}@example.test`,
      role: 'admin',
    });
    expect(invited.status).toBe(201);
    const accepted = await request(`${app.url}${invited.body.accept_path}`, { method: 'POST' });
    expect(accepted.status).toBe(201);
    admin = accepted.body.token;
  });
  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  it("refuses an admin (by personal token or admin key) revoking an owner's key; the key keeps working", async () => {
    const ownerKey = await createKey(owner, 'owner');
    const adminKey = await createKey(owner, 'admin');
    expect([ownerKey.status, adminKey.status]).toEqual([201, 201]);
    const before = await auditActions();

    for (const token of [admin, adminKey.body.key as string]) {
      const refused = await api(token, 'DELETE', `/auth/api-keys/${ownerKey.body.id}`);
      expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect(refused.body.error.message).toBe('The admin role may not revoke an API key with the owner role');
    }
    expect(await keyRow(ownerKey.body.id)).toEqual({ revoked_at: null });
    expect((await api(ownerKey.body.key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(200);
    expect(await auditActions()).toEqual(before);

    // The owner may.
    expect((await api(owner, 'DELETE', `/auth/api-keys/${ownerKey.body.id}`)).status).toBe(204);
    expect((await api(ownerKey.body.key, 'GET', `/orgs/${orgId}/repos`)).status).toBe(401);
  });

  it('lets an admin revoke admin and viewer keys', async () => {
    for (const role of ['admin', 'viewer']) {
      const key = await createKey(owner, role);
      expect((await api(admin, 'DELETE', `/auth/api-keys/${key.body.id}`)).status).toBe(204);
      expect((await keyRow(key.body.id))?.revoked_at).toBeInstanceOf(Date);
    }
  });

  it('refuses an admin creating an owner key, and creates nothing', async () => {
    const keysBefore = (await api(owner, 'GET', `/auth/api-keys?org_id=${orgId}`)).body.items.length;
    const refused = await createKey(admin, 'owner');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api(owner, 'GET', `/auth/api-keys?org_id=${orgId}`)).body.items).toHaveLength(keysBefore);
    expect((await createKey(admin, 'admin')).status).toBe(201);
  });

  it("refuses an admin changing or removing the owner's membership (the same rule)", async () => {
    const demote = await api(admin, 'PATCH', `/orgs/${orgId}/members/${ownerId}`, { role: 'viewer' });
    expect([demote.status, demote.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const remove = await api(admin, 'DELETE', `/orgs/${orgId}/members/${ownerId}`);
    expect([remove.status, remove.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const members = (await api(owner, 'GET', `/orgs/${orgId}/members`)).body.items;
    expect(members.find((m: { user_id: string }) => m.user_id === ownerId)?.role).toBe('owner');
  });

  it("refuses an org limit above the instance's, naming the field, and changes nothing", async () => {
    const before = await auditActions();
    const refused = await api(owner, 'PATCH', `/orgs/${orgId}`, {
      name: 'Renamed',
      rate_limit_per_minute: INSTANCE_LIMIT + 1,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([
      { field: 'rate_limit_per_minute', problem: `must be at most ${INSTANCE_LIMIT}, the instance's limit` },
    ]);
    const mine = (await api(owner, 'GET', '/orgs/me')).body.items[0];
    expect(mine).toMatchObject({ name: 'Roles', rate_limit_per_minute: null });
    expect(await auditActions()).toEqual(before);

    const lowered = await api(owner, 'PATCH', `/orgs/${orgId}`, { rate_limit_per_minute: INSTANCE_LIMIT });
    expect([lowered.status, lowered.body.rate_limit_per_minute]).toEqual([200, INSTANCE_LIMIT]);
  });

  it("runs a token under the instance's limit when a stored org limit is higher", async () => {
    // A row from before the ceiling existed.
    await db.query('update organizations set rate_limit_per_minute = 1000000 where id = $1', [orgId]);
    const key = await createKey(owner, 'viewer');
    const answered = await api(key.body.key, 'GET', `/orgs/${orgId}/repos`);
    expect(answered.status).toBe(200);
    expect(answered.headers.get('x-ratelimit-limit')).toBe(String(INSTANCE_LIMIT));
  });
});
