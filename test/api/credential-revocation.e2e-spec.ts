// Checked tokens are cached per API instance (CredentialCache): a revocation or a role change made
// through one instance is refused or seen by every other one at once, over Redis; an instance
// without Redis caches nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { request, type JsonResponse } from '../support/http';

const V1 = '/api/v1';
const adminToken = `admin-${randomBytes(24).toString('hex')}`;
// Long enough that only the broadcast, never the expiry, can explain a refusal within the test.
const env = testApiEnv({ REPOGUARD_ADMIN_TOKEN: adminToken, AUTH_CACHE_TTL_SECONDS: '300' });

let one: ApiProcess;
let other: ApiProcess;
let withoutRedis: ApiProcess;

beforeAll(async () => {
  [one, other, withoutRedis] = await Promise.all([
    startApiProcess(env),
    startApiProcess(env),
    // Nothing listens on port 1: the instance never hears of a change, so it must not cache.
    startApiProcess({ ...env, REDIS_URL: 'redis://127.0.0.1:1' }),
  ]);
});
afterAll(async () => {
  await Promise.all([one, other, withoutRedis].map((api) => api?.close()));
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
});
