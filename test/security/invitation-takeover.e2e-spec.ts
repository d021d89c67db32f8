// Trust boundary: invitations and personal tokens. Holding an invitation proves which org and role,
// never who one is; so an admin of org B who invites the owner of org A and accepts the invitation
// must get nothing of that user. Each attack runs over HTTP against the API process on the real
// stack, and the victim's rows are read back from PostgreSQL to prove they stayed as they were.
import { randomUUID } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack';
import type { JsonResponse } from '../support/http';

const V1 = '/api/v1';
/** A personal token (the error messages name the prefix alone). */
const PAT = /rg_pat_[\w-]{8}/;

let stack: ApiStack;
const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
const api = (token: string | null, method: string, path: string, body?: unknown) =>
  stack.call(token, method, `${V1}${path}`, body);
const emailOf = (org: { slug: string }) => `owner-${org.slug}@example.test`;

/** Set-up steps must succeed: a failure names the step and shows the answer. */
// The bodies are whatever the API answered; the steps pick the fields they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function expectOk(response: Promise<JsonResponse>, status: number, step: string): Promise<any> {
  const { status: actual, body } = await response;
  if (actual !== status)
    throw new Error(`${step}: expected ${status}, got ${actual} ${JSON.stringify(body)}`);
  return body;
}

async function invite(orgId: string, inviterToken: string, email: string, role: string) {
  return expectOk(
    api(inviterToken, 'POST', `/orgs/${orgId}/invite`, { email, role }),
    201,
    `inviting ${email}`,
  );
}

/** A new email invited and accepted anonymously: its first token. */
async function newMember(orgId: string, inviterToken: string, role: string) {
  const invitation = await invite(orgId, inviterToken, `${unique(role)}@example.test`, role);
  const accepted = await expectOk(stack.call(null, 'POST', invitation.accept_path), 201, 'accepting');
  return { userId: accepted.user.id as string, token: accepted.token as string };
}

/** Everything that makes up a user's identity and reach, as stored. */
async function identityOf(userId: string) {
  const knex = stack.harness.orm.em.getKnex();
  return {
    user: await knex('users').where({ id: userId }).select('id', 'email'),
    memberships: await knex('memberships')
      .where({ user_id: userId })
      .orderBy('org_id')
      .select('org_id', 'role'),
    tokens: await knex('personal_tokens')
      .where({ user_id: userId })
      .orderBy('id')
      .select('id', 'token_hash', 'name', 'revoked_at', 'expires_at'),
  };
}

const invitationRow = (id: string) =>
  stack.harness.orm.em.getKnex()('invitations').where({ id }).first('accepted_at');

beforeAll(async () => {
  stack = await startApiStack({ name: 'invitation-takeover' });
});
afterAll(async () => stack?.close());

describe('accepting an invitation to the email of another org’s owner', () => {
  it('gives the inviting admin no token and joins nobody; the owner joins with their own token', async () => {
    const victim = await stack.createOrg('victim-a');
    const attackerOrg = await stack.createOrg('attacker-b');
    const attacker = await newMember(attackerOrg.orgId, attackerOrg.ownerToken, 'admin');
    const attackerKey = await expectOk(
      api(attackerOrg.ownerToken, 'POST', '/auth/api-keys', {
        org_id: attackerOrg.orgId,
        name: 'ci',
        role: 'admin',
      }),
      201,
      'creating an admin key in B',
    );
    const before = await identityOf(victim.ownerId);
    expect(before.memberships).toEqual([{ org_id: victim.orgId, role: 'owner' }]);

    // The admin of B invites A's owner's email into B, then accepts it every way they can.
    const invitation = await invite(attackerOrg.orgId, attacker.token, emailOf(victim), 'viewer');
    const anonymous = await stack.call(null, 'POST', invitation.accept_path);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'INVITATION_SIGN_IN_REQUIRED']);
    const asThemselves = await stack.call(attacker.token, 'POST', invitation.accept_path);
    expect([asThemselves.status, asThemselves.body.error.code]).toEqual([403, 'INVITATION_EMAIL_MISMATCH']);
    const asKey = await stack.call(attackerKey.key, 'POST', invitation.accept_path);
    expect([asKey.status, asKey.body.error.code]).toEqual([403, 'INVITATION_NEEDS_USER']);
    const asAdmin = await stack.call(stack.adminToken, 'POST', invitation.accept_path);
    expect([asAdmin.status, asAdmin.body.error.code]).toEqual([403, 'INVITATION_NEEDS_USER']);
    const forged = await stack.call(`rg_pat_${'x'.repeat(43)}`, 'POST', invitation.accept_path);
    expect([forged.status, forged.body.error.code]).toEqual([401, 'TOKEN_INVALID']);
    for (const refused of [anonymous, asThemselves, asKey, asAdmin, forged]) {
      expect(JSON.stringify(refused.body)).not.toMatch(PAT);
    }

    // Nothing of the victim changed, nobody joined B, the invitation is still unused, and the
    // attacker reaches nothing of A.
    expect(await identityOf(victim.ownerId)).toEqual(before);
    const membersOfB = await expectOk(
      api(attackerOrg.ownerToken, 'GET', `/orgs/${attackerOrg.orgId}/members`),
      200,
      'B',
    );
    expect(membersOfB.items.map((m: { user_id: string }) => m.user_id)).not.toContain(victim.ownerId);
    expect(await invitationRow(invitation.id)).toEqual({ accepted_at: null });
    expect((await api(attacker.token, 'GET', `/orgs/${victim.orgId}/members`)).status).toBe(404);
    const joined = await stack.harness.orm.em
      .getKnex()('audit_logs')
      .where({ org_id: attackerOrg.orgId, action: 'member.joined', target_id: victim.ownerId })
      .count({ n: '*' });
    expect(Number(joined[0]!.n)).toBe(0);

    // The owner of A accepts with their own token: they join B, and get no new token.
    const accepted = await stack.call(victim.ownerToken, 'POST', invitation.accept_path);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({
      org: { id: attackerOrg.orgId, name: 'attacker-b', slug: attackerOrg.slug },
      user: { id: victim.ownerId, email: emailOf(victim) },
      role: 'viewer',
      token: null,
      token_prefix: null,
    });
    const after = await identityOf(victim.ownerId);
    expect(after.tokens).toEqual(before.tokens);
    expect(after.memberships).toEqual(
      [
        { org_id: victim.orgId, role: 'owner' },
        { org_id: attackerOrg.orgId, role: 'viewer' },
      ].sort((x, y) => x.org_id.localeCompare(y.org_id)),
    );
    const mine = await expectOk(api(victim.ownerToken, 'GET', '/orgs/me'), 200, "the owner's orgs");
    expect(Object.fromEntries(mine.items.map((o: { id: string; role: string }) => [o.id, o.role]))).toEqual({
      [victim.orgId]: 'owner',
      [attackerOrg.orgId]: 'viewer',
    });
    const again = await stack.call(victim.ownerToken, 'POST', invitation.accept_path);
    expect([again.status, again.body.error.code]).toEqual([410, 'INVITATION_USED']);
  });

  it('refuses a signed-in user already a member, leaving the invitation unused', async () => {
    const org = await stack.createOrg('already');
    const email = `${unique('twice')}@example.test`;
    // Two invitations out at once: the second is still pending when the first makes a member.
    const first = await invite(org.orgId, org.ownerToken, email, 'viewer');
    const second = await invite(org.orgId, org.ownerToken, email, 'admin');
    const joined = await expectOk(stack.call(null, 'POST', first.accept_path), 201, 'accepting the first');
    const again = await stack.call(joined.token, 'POST', second.accept_path);
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_MEMBER']);
    expect(await invitationRow(second.id)).toEqual({ accepted_at: null });
    // Inviting a member is refused at once (the owner included).
    for (const member of [email, emailOf(org)]) {
      const late = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/invite`, {
        email: member,
        role: 'viewer',
      });
      expect([late.status, late.body.error.code]).toEqual([409, 'ALREADY_MEMBER']);
    }
  });

  it('gives a brand-new email a user and its first token, once', async () => {
    const org = await stack.createOrg('newcomer');
    const email = `${unique('new')}@example.test`;
    const invitation = await invite(org.orgId, org.ownerToken, email, 'admin');
    const accepted = await stack.call(null, 'POST', invitation.accept_path);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ org: { id: org.orgId }, user: { email }, role: 'admin' });
    expect(accepted.body.token).toMatch(/^rg_pat_/);
    expect(accepted.body.token.startsWith(accepted.body.token_prefix)).toBe(true);
    const me = await expectOk(api(accepted.body.token, 'GET', '/orgs/me'), 200, "the newcomer's orgs");
    expect(me.items.map((o: { id: string; role: string }) => [o.id, o.role])).toEqual([[org.orgId, 'admin']]);
    const again = await stack.call(null, 'POST', invitation.accept_path);
    expect([again.status, again.body.error.code]).toEqual([410, 'INVITATION_USED']);
    expect((await identityOf(accepted.body.user.id)).tokens).toHaveLength(1);
  });
});

describe('POST /orgs for an owner_email that already has a user', () => {
  it('makes that user owner of the new org but returns no token; they use their own', async () => {
    const existing = await stack.createOrg('existing-owner');
    const before = await identityOf(existing.ownerId);
    const slug = unique('second').toLowerCase();
    const created = await api(stack.adminToken, 'POST', '/orgs', {
      name: 'Second',
      slug,
      owner_email: emailOf(existing).toUpperCase(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      owner: { id: existing.ownerId, email: emailOf(existing), role: 'owner' },
      token: null,
      token_prefix: null,
    });
    expect(JSON.stringify(created.body)).not.toMatch(PAT);
    expect((await identityOf(existing.ownerId)).tokens).toEqual(before.tokens);
    const mine = await expectOk(api(existing.ownerToken, 'GET', '/orgs/me'), 200, "the owner's orgs");
    expect(mine.items.map((o: { slug: string; role: string }) => [o.slug, o.role]).sort()).toEqual(
      [
        [existing.slug, 'owner'],
        [slug, 'owner'],
      ].sort(),
    );
  });
});

describe('/auth/tokens: one’s own personal tokens', () => {
  it('creates a token with an expiry, lists it without any secret, and tracks its last use', async () => {
    const org = await stack.createOrg('tokens');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await api(org.ownerToken, 'POST', '/auth/tokens', {
      name: 'laptop',
      expires_at: expiresAt,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'laptop',
      prefix: expect.stringMatching(/^rg_pat_/),
      created_at: expect.any(String),
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
      token: expect.stringMatching(/^rg_pat_/),
    });
    expect(created.body.token.startsWith(created.body.prefix)).toBe(true);
    expect((await api(created.body.token, 'GET', '/orgs/me')).status).toBe(200);

    const listed = await expectOk(api(org.ownerToken, 'GET', '/auth/tokens'), 200, 'listing');
    expect(listed.items.map((t: { name: string }) => t.name)).toEqual(['laptop', `owner of ${org.slug}`]);
    expect(listed.items[0]).toEqual({ ...created.body, token: undefined, last_used_at: expect.any(String) });
    expect(Object.keys(listed.items[0]).sort()).toEqual(
      ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at'].sort(),
    );
    const text = JSON.stringify(listed);
    expect(text).not.toContain(created.body.token);
    expect(text).not.toContain(org.ownerToken);
    const hashes = await stack.harness.orm.em
      .getKnex()('personal_tokens')
      .where({ user_id: org.ownerId })
      .pluck('token_hash');
    for (const hash of hashes) expect(text).not.toContain(hash);
  });

  it('revokes a token: the very next request with it is a 401, and the revocation is audited', async () => {
    const org = await stack.createOrg('revoke');
    const spare = await expectOk(
      api(org.ownerToken, 'POST', '/auth/tokens', { name: 'spare' }),
      201,
      'creating',
    );
    expect((await api(spare.token, 'GET', '/orgs/me')).status).toBe(200);

    expect((await api(org.ownerToken, 'DELETE', `/auth/tokens/${spare.id}`)).status).toBe(204);
    const next = await api(spare.token, 'GET', '/orgs/me');
    expect([next.status, next.body.error.code]).toEqual([401, 'TOKEN_INVALID']);
    expect((await api(org.ownerToken, 'GET', '/orgs/me')).status).toBe(200);
    const listed = await expectOk(api(org.ownerToken, 'GET', '/auth/tokens'), 200, 'listing');
    expect(listed.items.find((t: { id: string }) => t.id === spare.id).revoked_at).toEqual(
      expect.any(String),
    );
    // Revoking again changes nothing.
    expect((await api(org.ownerToken, 'DELETE', `/auth/tokens/${spare.id}`)).status).toBe(204);

    const trail = await expectOk(api(org.ownerToken, 'GET', `/orgs/${org.orgId}/audit-logs`), 200, 'audit');
    const rows = trail.items
      .filter((row: { action: string }) => row.action.startsWith('personal_token.'))
      .map((row: { action: string; actor_id: string; target_id: string }) => [
        row.action,
        row.actor_id,
        row.target_id,
      ]);
    expect(rows).toEqual([
      ['personal_token.revoked', org.ownerId, spare.id],
      ['personal_token.created', org.ownerId, spare.id],
    ]);

    // Revoking the token one signs in with signs out at once.
    const session = await expectOk(
      api(org.ownerToken, 'POST', '/auth/tokens', { name: 'session' }),
      201,
      'creating',
    );
    expect((await api(session.token, 'DELETE', `/auth/tokens/${session.id}`)).status).toBe(204);
    expect((await api(session.token, 'GET', '/auth/tokens')).status).toBe(401);
  });

  it('refuses an expired token with 401, and an expiry not in the future with 422', async () => {
    const org = await stack.createOrg('expiry');
    const expiresAt = Date.now() + 2_000;
    const short = await expectOk(
      api(org.ownerToken, 'POST', '/auth/tokens', {
        name: 'short',
        expires_at: new Date(expiresAt).toISOString(),
      }),
      201,
      'creating',
    );
    expect((await api(short.token, 'GET', '/orgs/me')).status).toBe(200);
    // Time passes, not an edited row: the API has the token cached now, and must still refuse it.
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
    const expired = await api(short.token, 'GET', '/orgs/me');
    expect([expired.status, expired.body.error.code]).toEqual([401, 'TOKEN_INVALID']);

    const past = await api(org.ownerToken, 'POST', '/auth/tokens', {
      name: 'old',
      expires_at: '2020-01-01T00:00:00Z',
    });
    expect([past.status, past.body.error.details]).toEqual([
      422,
      [{ field: 'expires_at', problem: 'must be in the future' }],
    ]);
    const bad = await api(org.ownerToken, 'POST', '/auth/tokens', { name: '', expires_at: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'expires_at',
      'name',
    ]);
  });

  it("cannot touch another user's token (404, unchanged), and API keys and the admin token have none", async () => {
    const org = await stack.createOrg('others');
    const other = await newMember(org.orgId, org.ownerToken, 'admin');
    const theirs = await expectOk(
      api(other.token, 'POST', '/auth/tokens', { name: 'theirs' }),
      201,
      'creating',
    );
    const before = await identityOf(other.userId);

    const foreign = await api(org.ownerToken, 'DELETE', `/auth/tokens/${theirs.id}`);
    const missing = await api(org.ownerToken, 'DELETE', `/auth/tokens/${randomUUID()}`);
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'PERSONAL_TOKEN_NOT_FOUND']);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message.replace(theirs.id, 'ID')).toBe(
      missing.body.error.message.replace(/[0-9a-f-]{36}/, 'ID'),
    );
    expect((await api(theirs.token, 'GET', '/orgs/me')).status).toBe(200);
    expect(await identityOf(other.userId)).toEqual(before);
    const ownerList = await expectOk(api(org.ownerToken, 'GET', '/auth/tokens'), 200, 'listing');
    expect(ownerList.items.map((t: { id: string }) => t.id)).not.toContain(theirs.id);

    const key = await expectOk(
      api(org.ownerToken, 'POST', '/auth/api-keys', { org_id: org.orgId, name: 'ci', role: 'owner' }),
      201,
      'creating a key',
    );
    for (const token of [key.key, stack.adminToken]) {
      for (const [method, path, body] of [
        ['GET', '/auth/tokens', undefined],
        ['POST', '/auth/tokens', { name: 'x' }],
        ['DELETE', `/auth/tokens/${theirs.id}`, undefined],
      ] as const) {
        const refused = await api(token, method, path, body);
        expect([method, refused.status, refused.body.error.code]).toEqual([
          method,
          403,
          'USER_TOKEN_REQUIRED',
        ]);
      }
    }
    expect(await identityOf(other.userId)).toEqual(before);
    const malformed = await api(org.ownerToken, 'DELETE', '/auth/tokens/not-a-uuid');
    expect([malformed.status, malformed.body.error.details]).toEqual([
      400,
      [{ field: 'token_id', problem: 'must be a UUID' }],
    ]);
  });
});
