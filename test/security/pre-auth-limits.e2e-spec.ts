// Issue 14, limits before identity: an address that floods the API with bad bearer tokens or
// guessed invitation tokens gets 429 after a small budget of failed checks, and the database sees
// no more lookups than that budget plus the checks it had in flight; other addresses (and, behind a
// trusted proxy, other clients) keep working. Lookups are counted by PostgreSQL itself (pg_stat_user_tables) on a database of
// this test's own.
import { randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, prepareDatabase } from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../support/fresh-database';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import type { JsonResponse } from '../support/http';
import { inWaves, loopbackAddress, requestFrom } from '../support/source-address';

const BUDGET = 20; // FAILED_AUTH_LIMIT_PER_MINUTE
const PRE_AUTH = 600; // PRE_AUTH_RATE_LIMIT_PER_MINUTE
const FLOOD = 2000;
// The attacker's concurrency: checks already in flight when the budget runs out are still looked up.
const WAVE = 20;
// Lookups besides the flood's on the counted table: inviting and accepting the one real invitation.
const OTHER_LOOKUPS = 10;

const unknownKey = () => `rg_key_${randomBytes(32).toString('base64url')}`;
const unknownInvitation = () => `rg_inv_${randomBytes(32).toString('base64url')}`;
// Never 127.x: behind TRUST_PROXY=loopback a loopback client counts as one more trusted proxy, so
// the address in front of it would be limited instead (a 1-in-223 flake before).
const randomIpv4 = () => {
  const first = randomInt(1, 223);
  return `${first >= 127 ? first + 1 : first}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
};

function tally(responses: JsonResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, body } of responses) {
    const key = `${status} ${body?.error?.code ?? ''}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The flood's first failures were looked up (the budget, plus at most a wave in flight), the rest got 429. */
function expectBudgetHeld(flood: JsonResponse[], failure: string): number {
  const counts = tally(flood);
  const failed = counts[failure] ?? 0;
  expect(failed).toBeGreaterThanOrEqual(BUDGET);
  expect(failed).toBeLessThan(BUDGET + WAVE);
  expect(counts).toEqual({ [failure]: failed, '429 RATE_LIMITED': FLOOD - failed });
  return FLOOD - failed;
}

function expectRetryAfter(responses: JsonResponse[]): void {
  const limited = responses.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThan(0);
  const retryAfter = limited.map((r) => Number(r.headers.get('retry-after')));
  expect(retryAfter.every((s) => Number.isInteger(s) && s >= 1 && s <= 60)).toBe(true);
}

describe('per-address limits before authentication (no proxy trusted)', () => {
  const databaseUrl = freshDatabaseUrl('e2e_preauth');
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  const metricsToken = `metrics-${randomBytes(24).toString('hex')}`;
  let api: ApiProcess;
  let db: Client;
  let baseline: Record<string, number>;
  let org: { id: string; ownerToken: string };
  let refused = 0;

  /** Every backend but ours on the test's database is gone: their table statistics are flushed. */
  async function apiBackendsGone(): Promise<void> {
    for (;;) {
      const { rows } = await db.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [databaseName],
      );
      if (rows[0]!.n === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Index and sequential scans PostgreSQL counted per credential table. */
  async function scans(): Promise<Record<string, number>> {
    await db.query('select pg_stat_clear_snapshot()');
    const { rows } = await db.query<{ relname: string; scans: string }>(
      `select relname, seq_scan + coalesce(idx_scan, 0) as scans from pg_stat_user_tables
        where relname in ('api_keys', 'personal_tokens', 'invitations')`,
    );
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.scans)]));
  }

  async function count(table: 'users' | 'memberships' | 'invitations' | 'api_keys'): Promise<number> {
    return Number((await db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
  }

  const call = (
    from: string,
    method: string,
    path: string,
    token?: string,
    headers: Record<string, string> = {},
  ) =>
    requestFrom(from, `${api.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    await apiBackendsGone();
    baseline = await scans();
    api = await startApiProcess(
      testApiEnv({
        DATABASE_URL: databaseUrl,
        REPOGUARD_ADMIN_TOKEN: adminToken,
        METRICS_TOKEN: metricsToken,
        FAILED_AUTH_LIMIT_PER_MINUTE: String(BUDGET),
        PRE_AUTH_RATE_LIMIT_PER_MINUTE: String(PRE_AUTH),
      }),
    );
    const created = await requestFrom(loopbackAddress(), `${api.url}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        name: 'Victim',
        slug: `victim-${randomInt(1e9)}`,
        owner_email: `owner-${randomInt(1e9)}@victim.test`,
      }),
    });
    expect(created.status).toBe(201);
    org = { id: created.body.org.id, ownerToken: created.body.token };
  });
  afterAll(async () => {
    await api?.close();
    await db?.end();
    await dropDatabase(databaseUrl);
  });

  it('answers a flood of unknown bearer tokens with 429 after the budget; other addresses still get in', async () => {
    const attacker = loopbackAddress();
    const bystander = loopbackAddress();
    const bystanderAnswers: number[] = [];
    const flood = await inWaves(FLOOD, WAVE, async (i) => {
      // X-Forwarded-For is nobody's word while no proxy is trusted: a new one each time changes nothing.
      const answer = await call(attacker, 'GET', '/orgs/me', unknownKey(), {
        'x-forwarded-for': randomIpv4(),
      });
      if (i % 100 === 0)
        bystanderAnswers.push((await call(bystander, 'GET', '/orgs/me', org.ownerToken)).status);
      return answer;
    });

    refused += expectBudgetHeld(flood, '401 TOKEN_INVALID');
    expectRetryAfter(flood);
    const messages = new Set(
      flood.filter((r) => r.status === 429).map((r) => r.body.error.message.split(';')[0]),
    );
    // First the failed checks, then (past PRE_AUTH requests) the address's request limit.
    expect([...messages].sort()).toEqual([
      'Too many failed credential checks from this address',
      'Too many requests from this address',
    ]);
    expect(bystanderAnswers).toEqual(Array(FLOOD / 100).fill(200));
    // The flooding address waits out its minute, even with a good token.
    expect((await call(attacker, 'GET', '/orgs/me', org.ownerToken)).status).toBe(429);
    refused += 1;
  });

  it('answers a flood of guessed invitation tokens with 429 after the budget; a real one is still accepted', async () => {
    const invitation = await requestFrom(loopbackAddress(), `${api.url}/api/v1/orgs/${org.id}/invite`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.ownerToken}` },
      body: JSON.stringify({ email: 'newcomer@victim.test', role: 'viewer' }),
    });
    expect(invitation.status).toBe(201);
    const [usersBefore, membershipsBefore] = [await count('users'), await count('memberships')];

    const attacker = loopbackAddress();
    const newcomer = loopbackAddress();
    let accepted: JsonResponse | undefined;
    const flood = await inWaves(FLOOD, WAVE, async (i) => {
      const answer = await call(attacker, 'POST', `/invites/${unknownInvitation()}/accept`);
      if (i === FLOOD / 2)
        accepted = await requestFrom(newcomer, `${api.url}${invitation.body.accept_path}`, {
          method: 'POST',
        });
      return answer;
    });

    refused += expectBudgetHeld(flood, '404 INVITATION_NOT_FOUND');
    expectRetryAfter(flood);
    expect(accepted?.status).toBe(201);
    // The flood joined nobody: only the newcomer did.
    expect([await count('users'), await count('memberships')]).toEqual([
      usersBefore + 1,
      membershipsBefore + 1,
    ]);
  });

  it('counts the refusals in the metrics', async () => {
    const scrape = await requestFrom(loopbackAddress(), `${api.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(scrape.status).toBe(200);
    const sample = (kind: string) =>
      Number(
        new RegExp(`^repoguard_rate_limit_rejections_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(
          scrape.body,
        )?.[1],
      );
    expect(sample('failed_auth') + sample('source_address')).toBe(refused);
  });

  it('cost the database no more credential lookups than the budget and a wave (counted by PostgreSQL)', async () => {
    expect(await count('api_keys')).toBe(0);
    await api.close();
    await apiBackendsGone();
    const after = await scans();
    const lookups = (table: string) => (after[table] ?? 0) - (baseline[table] ?? 0);
    // The lower bound shows the counters do count: the budget's lookups did happen.
    expect(lookups('api_keys')).toBeGreaterThanOrEqual(BUDGET);
    expect(lookups('api_keys')).toBeLessThan(BUDGET + WAVE);
    expect(lookups('invitations')).toBeGreaterThanOrEqual(BUDGET);
    expect(lookups('invitations')).toBeLessThan(BUDGET + WAVE + OTHER_LOOKUPS);
  });
});

describe('per-address limits behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  const adminToken = `admin-${randomBytes(24).toString('hex')}`;
  let api: ApiProcess;

  beforeAll(async () => {
    api = await startApiProcess(
      testApiEnv({
        REPOGUARD_ADMIN_TOKEN: adminToken,
        TRUST_PROXY: 'loopback',
        FAILED_AUTH_LIMIT_PER_MINUTE: '5',
      }),
    );
  });
  afterAll(async () => api?.close());

  it("limits the client X-Forwarded-For names, whatever it prepends, and not the proxy's other clients", async () => {
    const proxy = loopbackAddress();
    const viaProxy = (client: string, token: string, spoofed?: string) =>
      requestFrom(proxy, `${api.url}/api/v1/orgs/me`, {
        headers: {
          authorization: `Bearer ${token}`,
          // A proxy appends the address it saw; what the client sent stays in front of it.
          'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client,
        },
      });
    const created = await requestFrom(proxy, `${api.url}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'x-forwarded-for': randomIpv4() },
      body: JSON.stringify({
        name: 'Proxied',
        slug: `proxied-${randomInt(1e9)}`,
        owner_email: `o-${randomInt(1e9)}@proxied.test`,
      }),
    });
    expect(created.status).toBe(201);

    const attacker = randomIpv4();
    const answers = await inWaves(30, 1, () => viaProxy(attacker, unknownKey(), randomIpv4()));
    expect(tally(answers)).toEqual({ '401 TOKEN_INVALID': 5, '429 RATE_LIMITED': 25 });
    expect((await viaProxy(randomIpv4(), created.body.token)).status).toBe(200);
  });
});
