import { randomUUID } from 'node:crypto';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { runCliCommand, type CliRun } from '../support/cli-run';
import { request } from '../support/http';

/** The command as its own process against the e2e database. */
const orgCreate = (args: readonly string[]): Promise<CliRun> =>
  runCliCommand(['org:create', ...args], { DATABASE_URL: process.env['DATABASE_URL'] });

const uniqueSlug = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

// The operators' bootstrap: the org and owner it writes must be the ones the API then serves.
describe('repoguard org:create', () => {
  let app: ApiProcess;
  let url: string;
  const get = (token: string, path: string) =>
    request(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    app = await startApiProcess(testApiEnv());
    url = app.url;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates the org and prints an owner token the API accepts, with an org.created audit row', async () => {
    const slug = uniqueSlug('cli-acme');
    const email = `owner-${slug}@example.test`;
    const run = await orgCreate(['--name', 'Acme CLI', '--slug', slug, '--owner-email', email, '--json']);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(run.stdout) as {
      org: { id: string; name: string; slug: string };
      owner: { id: string; email: string; role: string };
      token: string;
    };
    expect(printed).toEqual({
      org: { id: expect.any(String), name: 'Acme CLI', slug },
      owner: { id: expect.any(String), email, role: 'owner' },
      token: expect.stringMatching(/^rg_pat_/),
    });

    const mine = await get(printed.token, '/orgs/me');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ id: printed.org.id, name: 'Acme CLI', slug, role: 'owner' }),
    ]);

    const audit = await get(printed.token, `/orgs/${printed.org.id}/audit-logs?action=org.created`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        org_id: printed.org.id,
        actor_type: 'system',
        actor_id: 'cli',
        action: 'org.created',
        target_type: 'organization',
        target_id: printed.org.id,
        metadata: expect.objectContaining({ slug, owner_id: printed.owner.id, owner_email: email }),
      }),
    ]);
  });

  it('makes an owner email that already has a user owner, printing no token of theirs', async () => {
    const first = uniqueSlug('cli-first');
    const email = `owner-${first}@example.test`;
    const run = await orgCreate(['--name', 'First', '--slug', first, '--owner-email', email, '--json']);
    const { token, owner } = JSON.parse(run.stdout) as { token: string; owner: { id: string } };

    const second = uniqueSlug('cli-second');
    const again = await orgCreate(['--name', 'Second', '--slug', second, '--owner-email', email, '--json']);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(again.stdout)).toMatchObject({ owner: { id: owner.id, email }, token: null });
    const mine = await get(token, '/orgs/me');
    expect(mine.body.items.map((o: { slug: string; role: string }) => [o.slug, o.role]).sort()).toEqual([
      [first, 'owner'],
      [second, 'owner'],
    ]);
  });

  it('refuses a slug that is taken with exit 1 and ORG_SLUG_TAKEN, printing no token', async () => {
    const slug = uniqueSlug('cli-taken');
    const first = await orgCreate([
      '--name',
      'First',
      '--slug',
      slug,
      '--owner-email',
      `a-${slug}@example.test`,
    ]);
    expect(first.code).toBe(0);

    const second = await orgCreate([
      '--name',
      'Second',
      '--slug',
      slug,
      '--owner-email',
      `b-${slug}@example.test`,
    ]);
    expect(second).toEqual({ code: 1, stdout: '', stderr: expect.stringContaining('ORG_SLUG_TAKEN') });
    expect(second.stderr).toMatch(/slug: is already taken/);
  });

  it('answers a missing --owner-email with exit 2 and the usage', async () => {
    const run = await orgCreate(['--name', 'No Owner', '--slug', uniqueSlug('cli-no-owner')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/missing --owner-email/);
    expect(run.stderr).toContain('Usage: repoguard org:create');
  });

  it('refuses an invalid slug with exit 1 naming slug', async () => {
    const run = await orgCreate([
      '--name',
      'Bad',
      '--slug',
      'Not A Slug!',
      '--owner-email',
      'x@example.test',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^[ \t]*slug: must be 1-64 lowercase letters/m);
  });

  // POST /orgs refuses these in its DTO; the CLI reaches the same use case without that DTO.
  it.each([
    [
      'an owner email that is not an address',
      ['--name', 'Bad Email', '--owner-email', 'not-an-email'],
      /email/,
    ],
    ['a name over 200 characters', ['--name', 'n'.repeat(201), '--owner-email', 'x@example.test'], /name/],
  ])('refuses %s with exit 1 naming the field', async (_case, args, field) => {
    const run = await orgCreate([...args, '--slug', uniqueSlug('cli-invalid')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(field);
  });
});
