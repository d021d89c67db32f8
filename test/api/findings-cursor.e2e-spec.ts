// Findings by cursor over HTTP: each page's next_cursor leads through every finding once, in the
// order and under the filters asked for; a changed, foreign or misused cursor is a 400 naming it.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { createMikroOrmConfig, MikroOrmFindingRepository, RepositoryEntity } from '@repoguard/infrastructure';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';

const ADMIN_TOKEN = `rg-admin-${randomBytes(16).toString('hex')}`;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

interface Page {
  items: { id: string; severity: string; dependency: { name: string } }[];
  page: number | null;
  total: number | null;
  next_cursor: string | null;
}

describe('findings by cursor', () => {
  let api: ApiProcess;
  let orm: MikroORM;
  let token: string;
  let repoId: string;

  beforeAll(async () => {
    api = await startApiProcess(testApiEnv({ REPOGUARD_ADMIN_TOKEN: ADMIN_TOKEN }));
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 2 }),
    );
    const slug = `cursor-${randomUUID().slice(0, 8)}`;
    const created = await fetch(`${api.url}/api/v1/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Cursor', slug, owner_email: `owner-${slug}@example.test` }),
    });
    const body = (await created.json()) as { token: string; org: { id: string } };
    token = body.token;
    const em = orm.em.fork();
    const repo = em.create(RepositoryEntity, {
      orgId: body.org.id,
      owner: 'cursor',
      name: randomUUID(),
      defaultBranch: 'main',
    });
    await em.flush();
    repoId = repo.id;
    await new MikroOrmFindingRepository(orm.em).sync({
      orgId: body.org.id,
      repoId,
      snapshotId: randomUUID(),
      now: new Date(),
      findings: Array.from({ length: 17 }, (_, i) => ({
        ecosystem: 'npm' as const,
        packageName: ['left-pad', 'Zlib', 'axios'][i % 3]!,
        version: '1.0.0',
        manifestPath: 'package-lock.json',
        vulnerabilityId: `GHSA-cursor-${i}`,
        aliases: [],
        severity: SEVERITIES[i % 5]!,
        cvssScore: null,
        fixedVersions: [],
      })),
    });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await orm?.close(true);
  });

  const get = async (query: string) => {
    const answer = await fetch(`${api.url}/api/v1/repos/${repoId}/findings?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: answer.status,
      body: (await answer.json()) as Page & { error?: { details: unknown[] } },
    };
  };

  it('leads through every finding once, in order, under the filter, and counts only the first page', async () => {
    for (const query of ['sort=package', 'sort=severity:asc&severity=medium', 'sort=first_seen']) {
      const whole = await get(`${query}&per_page=100`);
      expect(whole.status).toBe(200);
      expect(whole.body.next_cursor).toBeNull();
      let page = await get(`${query}&per_page=4`);
      expect([page.body.page, page.body.total]).toEqual([1, whole.body.items.length]);
      const walked = page.body.items.map((f) => f.id);
      while (page.body.next_cursor) {
        page = await get(`${query}&per_page=4&cursor=${encodeURIComponent(page.body.next_cursor)}`);
        expect([page.status, page.body.page, page.body.total]).toEqual([200, null, null]);
        walked.push(...page.body.items.map((f) => f.id));
      }
      expect([query, walked]).toEqual([query, whole.body.items.map((f) => f.id)]);
    }
    const medium = await get('severity=medium&per_page=100');
    expect(new Set(medium.body.items.map((f) => f.severity))).toEqual(
      new Set(['CRITICAL', 'HIGH', 'MEDIUM']),
    );
  });

  it('refuses a changed, cut, foreign or misused cursor with a 400 naming cursor', async () => {
    const first = await get('per_page=2&sort=package');
    const cursor = first.body.next_cursor!;
    const [body, tag] = cursor.split('.') as [string, string];
    const changed = Buffer.from(
      Buffer.from(body, 'base64url')
        .toString()
        .replace(/"left-pad"|"Zlib"|"axios"/, '"aaaa"'),
    ).toString('base64url');
    for (const query of [
      `sort=package&cursor=${changed}.${tag}`,
      `sort=package&cursor=${cursor.slice(0, -3)}`,
      `sort=package&cursor=${body}`,
      'sort=package&cursor=not-a-cursor',
      `sort=severity&cursor=${cursor}`,
      `sort=package&page=2&cursor=${cursor}`,
    ]) {
      const answer = await get(query);
      expect([query, answer.status, answer.body.error?.details]).toEqual([
        query,
        400,
        [expect.objectContaining({ field: 'cursor' })],
      ]);
    }
  });

  it("answers a cursor at a package named '' (forged with a guessable key, say) with the page after it, not a 500", async () => {
    // The key comes from what every process shares (DATABASE_URL, which may hold no password, and
    // REPOGUARD_ENCRYPTION_KEY): whoever knows them can sign any position the decoder accepts.
    // Signed as the API signs (apps/api/src/findings/finding-cursor.ts), by a forger who knows them.
    const secrets = [process.env['DATABASE_URL'], process.env['REPOGUARD_ENCRYPTION_KEY']].filter(
      (v): v is string => v !== undefined,
    );
    const key = createHmac('sha256', 'repoguard findings cursor').update(secrets.join('\n')).digest();
    const body = Buffer.from(
      JSON.stringify([1, 'package', 'asc', 0, '2026-01-01 00:00:00+00', '', randomUUID()]),
    ).toString('base64url');
    const tag = createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url');
    const forged = `${body}.${tag}`;
    const after = await get(`sort=package&per_page=100&cursor=${encodeURIComponent(forged)}`);
    const whole = await get('sort=package&per_page=100');
    expect(after.status).toBe(200);
    // Every name sorts after '': the whole list.
    expect(after.body.items.map((f) => f.id)).toEqual(whole.body.items.map((f) => f.id));
  });
});
