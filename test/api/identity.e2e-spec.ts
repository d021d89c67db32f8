// Identity basics over HTTP: who am I (every kind of token), pending invitations listed and
// revoked, and an existing member refused at invitation time.
import { randomUUID } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack';

const V1 = '/api/v1';

let stack: ApiStack;
const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
const email = (what: string) => `${unique(what)}@example.test`;

beforeAll(async () => {
  stack = await startApiStack({ name: 'identity' });
});
afterAll(async () => {
  await stack?.close();
});

/** An invitation into the org and its accept path; the call must succeed. */
async function invite(orgId: string, token: string, invitee: string, role = 'viewer') {
  const { status, body } = await stack.call(token, 'POST', `${V1}/orgs/${orgId}/invite`, {
    email: invitee,
    role,
  });
  if (status !== 201) throw new Error(`inviting ${invitee}: ${status} ${JSON.stringify(body)}`);
  return body as { id: string; token: string; accept_path: string };
}

describe('GET /auth/me', () => {
  it('a personal token: the user, the token it came through (never the secret) and the orgs', async () => {
    const org = await stack.createOrg('me-user');
    const created = await stack.call(org.ownerToken, 'POST', `${V1}/auth/tokens`, {
      name: 'laptop',
      expires_at: '2099-01-01T00:00:00.000Z',
    });
    expect(created.status).toBe(201);

    const { status, body } = await stack.call(created.body.token, 'GET', `${V1}/auth/me`);
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'user',
      user: { id: org.ownerId, email: `owner-${org.slug}@example.test` },
      api_key: null,
      orgs: [{ id: org.orgId, role: 'owner' }],
      token: {
        type: 'personal',
        id: created.body.id,
        name: 'laptop',
        prefix: created.body.prefix,
        expires_at: '2099-01-01T00:00:00.000Z',
      },
    });
    expect(JSON.stringify(body)).not.toContain(created.body.token);

    // The owner's first token (no expiry) is told apart from the second one.
    const first = await stack.call(org.ownerToken, 'GET', `${V1}/auth/me`);
    expect(first.body.token).toMatchObject({ type: 'personal', expires_at: null });
    expect(first.body.token.id).not.toBe(created.body.id);
    expect(org.ownerToken.startsWith(first.body.token.prefix)).toBe(true);
  });

  it('an API key: the key (id, name, org, role) and its token', async () => {
    const org = await stack.createOrg('me-key');
    const key = await stack.call(org.ownerToken, 'POST', `${V1}/auth/api-keys`, {
      org_id: org.orgId,
      name: 'ci',
      role: 'viewer',
    });
    expect(key.status).toBe(201);

    const { status, body } = await stack.call(key.body.key, 'GET', `${V1}/auth/me`);
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'api_key',
      user: null,
      api_key: { id: key.body.id, name: 'ci', org_id: org.orgId, role: 'viewer' },
      orgs: [{ id: org.orgId, role: 'viewer' }],
      token: { type: 'api_key', id: key.body.id, name: 'ci', prefix: key.body.prefix, expires_at: null },
    });
    expect(JSON.stringify(body)).not.toContain(key.body.key);
  });

  it('the instance admin token: the admin, no id and no orgs', async () => {
    const { status, body } = await stack.call(stack.adminToken, 'GET', `${V1}/auth/me`);
    expect(status).toBe(200);
    expect(body).toEqual({
      kind: 'instance_admin',
      user: null,
      api_key: null,
      orgs: [],
      token: { type: 'admin', id: null, name: null, prefix: null, expires_at: null },
    });
  });

  it('no token, or a revoked one: 401', async () => {
    const org = await stack.createOrg('me-revoked');
    const second = await stack.call(org.ownerToken, 'POST', `${V1}/auth/tokens`, { name: 'soon gone' });
    expect((await stack.call(org.ownerToken, 'DELETE', `${V1}/auth/tokens/${second.body.id}`)).status).toBe(
      204,
    );
    const revoked = await stack.call(second.body.token, 'GET', `${V1}/auth/me`);
    expect([revoked.status, revoked.body.error.code]).toEqual([401, 'TOKEN_INVALID']);
    expect((await stack.call(null, 'GET', `${V1}/auth/me`)).status).toBe(401);
  });
});

describe('invitations', () => {
  it('lists pending invitations without their tokens; a revoked one answers 410 and is audited', async () => {
    const org = await stack.createOrg('inv-list');
    const kept = await invite(org.orgId, org.ownerToken, email('kept'), 'admin');
    const doomed = await invite(org.orgId, org.ownerToken, email('doomed'));
    const used = await invite(org.orgId, org.ownerToken, email('used'));
    expect((await stack.call(null, 'POST', used.accept_path)).status).toBe(201);

    const listed = await stack.call(org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/invitations`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { id: string; role: string }) => [i.id, i.role])).toEqual([
      [kept.id, 'admin'],
      [doomed.id, 'viewer'],
    ]);
    expect(Object.keys(listed.body.items[0]).sort()).toEqual(
      ['created_at', 'email', 'expires_at', 'id', 'invited_by', 'role'].sort(),
    );
    expect(listed.body.items[0].invited_by).toBe(org.ownerId);
    for (const secret of [kept.token, doomed.token])
      expect(JSON.stringify(listed.body)).not.toContain(secret);

    const revoked = await stack.call(
      org.ownerToken,
      'DELETE',
      `${V1}/orgs/${org.orgId}/invitations/${doomed.id}`,
      undefined,
      {
        'x-request-id': 'revoke-req-17',
      },
    );
    expect(revoked.status).toBe(204);
    // Idempotent: a second DELETE changes nothing and writes no second audit row.
    expect(
      (await stack.call(org.ownerToken, 'DELETE', `${V1}/orgs/${org.orgId}/invitations/${doomed.id}`)).status,
    ).toBe(204);

    const accept = await stack.call(null, 'POST', doomed.accept_path);
    expect([accept.status, accept.body.error.code]).toEqual([410, 'INVITATION_REVOKED']);
    const after = await stack.call(org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/invitations`);
    expect(after.body.items.map((i: { id: string }) => i.id)).toEqual([kept.id]);

    const audit = await stack.call(
      org.ownerToken,
      'GET',
      `${V1}/orgs/${org.orgId}/audit-logs?action=member.invitation_revoked`,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actor_type: 'user',
        actor_id: org.ownerId,
        target_type: 'invitation',
        target_id: doomed.id,
        correlation_id: 'revoke-req-17',
        metadata: { email: expect.stringMatching(/^doomed-/), role: 'viewer' },
      }),
    ]);

    // Accepted already: nothing to revoke.
    const late = await stack.call(org.ownerToken, 'DELETE', `${V1}/orgs/${org.orgId}/invitations/${used.id}`);
    expect([late.status, late.body.error.code]).toEqual([409, 'INVITATION_USED']);
  });

  it("another org's invitation, an unknown id and a malformed id: 404, 404 and 400", async () => {
    const [mine, theirs] = await Promise.all([stack.createOrg('inv-mine'), stack.createOrg('inv-theirs')]);
    const foreign = await invite(theirs.orgId, theirs.ownerToken, email('foreign'));
    for (const id of [foreign.id, randomUUID()]) {
      const { status, body } = await stack.call(
        mine.ownerToken,
        'DELETE',
        `${V1}/orgs/${mine.orgId}/invitations/${id}`,
      );
      expect([status, body.error.code]).toEqual([404, 'INVITATION_NOT_FOUND']);
    }
    const bad = await stack.call(
      mine.ownerToken,
      'DELETE',
      `${V1}/orgs/${mine.orgId}/invitations/not-a-uuid`,
    );
    expect([bad.status, bad.body.error.details]).toEqual([
      400,
      [{ field: 'invitation_id', problem: 'must be a UUID' }],
    ]);
    // Still pending in its own org.
    expect((await stack.call(null, 'POST', foreign.accept_path)).status).toBe(201);
  });

  it('inviting an email that is already a member answers 409 ALREADY_MEMBER at once', async () => {
    const org = await stack.createOrg('inv-member');
    const member = email('member');
    const first = await invite(org.orgId, org.ownerToken, member);
    expect((await stack.call(null, 'POST', first.accept_path)).status).toBe(201);

    for (const address of [member, member.toUpperCase(), `owner-${org.slug}@example.test`]) {
      const { status, body } = await stack.call(org.ownerToken, 'POST', `${V1}/orgs/${org.orgId}/invite`, {
        email: address,
        role: 'admin',
      });
      expect([status, body.error.code, body.error.details]).toEqual([
        409,
        'ALREADY_MEMBER',
        [{ field: 'email', problem: 'is already a member' }],
      ]);
    }
    const pending = await stack.call(org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/invitations`);
    expect(pending.body.items).toEqual([]);

    // A user of another org is not a member here: invited as usual.
    const other = await stack.createOrg('inv-elsewhere');
    const elsewhere = await invite(other.orgId, other.ownerToken, member);
    expect(elsewhere.id).toEqual(expect.any(String));
  });
});
