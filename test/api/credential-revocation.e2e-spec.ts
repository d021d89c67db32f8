// Checked tokens are cached per API instance (CredentialCache): a revocation or a role change made
// through one instance is refused or seen by every other one at once, over Redis; an instance
// without Redis caches nothing, and a change it cannot announce is not answered as if it could.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request, type JsonResponse } from '../support/http';

const V1 = '/api/v1';
const adminToken = `admin-${randomBytes(24).toString('hex')}`;
// Long enough that only the broadcast, never the expiry, can explain a refusal within the test.
const env = testApiEnv({
  REPOGUARD_ADMIN_TOKEN: adminToken,
  AUTH_CACHE_TTL_SECONDS: '300',
  // Redis is shared: another run's announcements must not empty these caches.
  AUTH_CACHE_CHANNEL: `repoguard:credentials-changed:e2e-${randomUUID()}`,
});

let one: ApiProcess;
let other: ApiProcess;
let withoutRedis: ApiProcess;
let db: Client;

beforeAll(async () => {
  db = new Client({ connectionString: process.env['DATABASE_URL'] });
  await db.connect();
  // One after the other: three API processes compiling at once on a busy machine can each outlast
  // the start-up wait.
  one = await startApiProcess(env);
  other = await startApiProcess(env);
  // Nothing listens on port 1: the instance never hears of a change, so it must not cache.
  withoutRedis = await startApiProcess({ ...env, REDIS_URL: 'redis://127.0.0.1:1' });
}, 300_000);
afterAll(async () => {
  await Promise.all([one, other, withoutRedis].map((api) => api?.close()));
  await db?.end();
});

function call(api: ApiProcess, token: string, method: string, path: string, body?: unknown) {
  return request(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createOrg(): Promise<{ orgId: string; ownerToken: string }> {
  const slug = `revocation-${randomUUID().slice(0, 8)}`;
  const { status, body } = await call(one, adminToken, 'POST', `${V1}/orgs`, {
    name: slug,
    slug,
    owner_email: `owner-${slug}@example.test`,
  });
  if (status !== 201) throw new Error(`creating org ${slug}: ${status} ${JSON.stringify(body)}`);
  return { orgId: body.org.id, ownerToken: body.token };
}

const outcome = (response: JsonResponse) => [response.status, response.body?.error?.code ?? null];

async function createKey(org: { orgId: string; ownerToken: string }): Promise<{ id: string; key: string }> {
  const key = await call(one, org.ownerToken, 'POST', `${V1}/auth/api-keys`, {
    org_id: org.orgId,
    name: 'ci',
    role: 'viewer',
  });
  if (key.status !== 201) throw new Error(`creating a key: ${key.status} ${JSON.stringify(key.body)}`);
  return { id: key.body.id, key: key.body.key };
}

/** A second member of the org with their own personal token, through an invitation. */
async function addMember(
  org: { orgId: string; ownerToken: string },
  role: string,
): Promise<{ userId: string; token: string }> {
  const email = `member-${randomUUID().slice(0, 8)}@example.test`;
  const invited = await call(one, org.ownerToken, 'POST', `${V1}/orgs/${org.orgId}/invite`, { email, role });
  if (invited.status !== 201) throw new Error(`inviting: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await request(`${one.url}${invited.body.accept_path}`, { method: 'POST' });
  if (accepted.status !== 201)
    throw new Error(`accepting: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { userId: accepted.body.user.id, token: accepted.body.token };
}

describe('a revocation through one API instance', () => {
  it('an API key: refused by another instance that had it cached, on the next request', async () => {
    const org = await createOrg();
    const key = await call(one, org.ownerToken, 'POST', `${V1}/auth/api-keys`, {
      org_id: org.orgId,
      name: 'ci',
      role: 'viewer',
    });
    expect(key.status).toBe(201);
    for (const api of [other, other, withoutRedis, withoutRedis]) {
      expect((await call(api, key.body.key, 'GET', `${V1}/auth/me`)).status).toBe(200);
    }

    const revoked = await call(one, org.ownerToken, 'DELETE', `${V1}/auth/api-keys/${key.body.id}`);
    expect(revoked.status).toBe(204);

    for (const api of [other, withoutRedis, one]) {
      expect(outcome(await call(api, key.body.key, 'GET', `${V1}/auth/me`))).toEqual([401, 'TOKEN_INVALID']);
    }
  });

  it('a personal token: refused by another instance that had it cached, on the next request', async () => {
    const org = await createOrg();
    const second = await call(one, org.ownerToken, 'POST', `${V1}/auth/tokens`, { name: 'laptop' });
    expect(second.status).toBe(201);
    for (const api of [other, other, one]) {
      expect((await call(api, second.body.token, 'GET', `${V1}/orgs/${org.orgId}/members`)).status).toBe(200);
    }

    // Revoked through the other instance this time: the first one hears it too.
    const revoked = await call(other, org.ownerToken, 'DELETE', `${V1}/auth/tokens/${second.body.id}`);
    expect(revoked.status).toBe(204);

    for (const api of [one, other]) {
      expect(outcome(await call(api, second.body.token, 'GET', `${V1}/orgs/${org.orgId}/members`))).toEqual([
        401,
        'TOKEN_INVALID',
      ]);
    }
    // The owner's own token, cached everywhere too, still works: only what changed is refused.
    expect((await call(other, org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/members`)).status).toBe(200);
  });

  it('an org deleted through one instance: its key is refused by another at once', async () => {
    const org = await createOrg();
    const key = await call(one, org.ownerToken, 'POST', `${V1}/auth/api-keys`, {
      org_id: org.orgId,
      name: 'deploy',
      role: 'viewer',
    });
    expect((await call(other, key.body.key, 'GET', `${V1}/auth/me`)).status).toBe(200);

    const deleted = await call(one, org.ownerToken, 'DELETE', `${V1}/orgs/${org.orgId}`);
    expect(deleted.status).toBe(204);

    expect(outcome(await call(other, key.body.key, 'GET', `${V1}/auth/me`))).toEqual([401, 'TOKEN_INVALID']);
  });

  it('one that cannot be announced: 503 after it is saved, and a retry through an instance with Redis announces it', async () => {
    const org = await createOrg();
    const key = await createKey(org);
    expect((await call(other, key.key, 'GET', `${V1}/auth/me`)).status).toBe(200);

    // The instance whose Redis is unreachable revokes: saved, but it cannot tell the others.
    const unannounced = await call(withoutRedis, org.ownerToken, 'DELETE', `${V1}/auth/api-keys/${key.id}`);
    expect(outcome(unannounced)).toEqual([503, 'CREDENTIAL_CHANGE_NOT_ANNOUNCED']);
    expect(unannounced.body.error.message).toMatch(/saved.*300 s/);
    const { rows } = await db.query('select revoked_at from api_keys where id = $1', [key.id]);
    expect(rows[0].revoked_at).not.toBeNull();
    // What the answer warned of: the other instance still had it, and says so until it hears.
    expect((await call(other, key.key, 'GET', `${V1}/auth/me`)).status).toBe(200);

    // Revoking again changes nothing but announces again: now every instance refuses it.
    expect((await call(one, org.ownerToken, 'DELETE', `${V1}/auth/api-keys/${key.id}`)).status).toBe(204);
    expect(outcome(await call(other, key.key, 'GET', `${V1}/auth/me`))).toEqual([401, 'TOKEN_INVALID']);
  });
});

describe('a call that changes no credential', () => {
  it('a failed one, signed in or not, leaves the other instances their cache', async () => {
    const org = await createOrg();
    const key = await createKey(org);
    expect((await call(other, key.key, 'GET', `${V1}/auth/me`)).status).toBe(200);
    // Revoked behind the API's back: only an announcement could make the other instance look again.
    await db.query('update api_keys set revoked_at = now() where id = $1', [key.id]);

    const garbage = await request(
      `${one.url}${V1}/invites/rg_inv_${randomBytes(16).toString('hex')}/accept`,
      {
        method: 'POST',
      },
    );
    expect(outcome(garbage)).toEqual([404, 'INVITATION_NOT_FOUND']);
    const unknownKey = await call(one, org.ownerToken, 'DELETE', `${V1}/auth/api-keys/${randomUUID()}`);
    expect(outcome(unknownKey)).toEqual([404, 'API_KEY_NOT_FOUND']);
    const lastOwner = await call(one, org.ownerToken, 'GET', `${V1}/auth/me`);
    const demoteLastOwner = await call(
      one,
      org.ownerToken,
      'PATCH',
      `${V1}/orgs/${org.orgId}/members/${lastOwner.body.user.id}`,
      { role: 'viewer' },
    );
    expect(outcome(demoteLastOwner)).toEqual([409, 'LAST_OWNER']);

    expect((await call(other, key.key, 'GET', `${V1}/auth/me`)).status).toBe(200);
  });
});

describe('a membership changed through one API instance', () => {
  it('an admin demoted to viewer: refused an admin action by another instance on the next request', async () => {
    const org = await createOrg();
    const admin = await addMember(org, 'admin');
    const invitations = `${V1}/orgs/${org.orgId}/invitations`;
    for (const api of [other, other])
      expect((await call(api, admin.token, 'GET', invitations)).status).toBe(200);

    const demoted = await call(
      one,
      org.ownerToken,
      'PATCH',
      `${V1}/orgs/${org.orgId}/members/${admin.userId}`,
      {
        role: 'viewer',
      },
    );
    expect(demoted.status).toBe(200);

    expect(outcome(await call(other, admin.token, 'GET', invitations))).toEqual([403, 'FORBIDDEN']);
    // Still a viewer there: reading is allowed.
    expect((await call(other, admin.token, 'GET', `${V1}/orgs/${org.orgId}/members`)).status).toBe(200);
  });

  it('a member removed: refused by another instance on the next request', async () => {
    const org = await createOrg();
    const member = await addMember(org, 'viewer');
    const members = `${V1}/orgs/${org.orgId}/members`;
    for (const api of [other, other])
      expect((await call(api, member.token, 'GET', members)).status).toBe(200);

    const removed = await call(
      one,
      org.ownerToken,
      'DELETE',
      `${V1}/orgs/${org.orgId}/members/${member.userId}`,
    );
    expect(removed.status).toBe(204);

    // No longer a member: the org is not there for them, as any other org they are not in.
    expect(outcome(await call(other, member.token, 'GET', members))).toEqual([404, 'NOT_FOUND']);
  });
});
