import { randomUUID } from 'node:crypto';
import { startApiProcess, testApiEnv, type ApiProcess } from '../support/api-process';
import { runCliCommand, type CliRun } from '../support/cli-run';
import { request } from '../support/http';

const cli = (args: readonly string[]): Promise<CliRun> =>
  runCliCommand(args, { DATABASE_URL: process.env['DATABASE_URL'] });

// An existing user who lost every token gets back in only through the operator: nothing over HTTP
// hands out an existing user's token any more.
describe('repoguard user:token', () => {
  let app: ApiProcess;
  const get = (token: string, path: string) =>
    request(`${app.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    app = await startApiProcess(testApiEnv());
  });
  afterAll(async () => {
    await app?.close();
  });

  it('issues a new token for an existing user that the API accepts, audited in their org', async () => {
    const slug = `recover-${randomUUID().slice(0, 8)}`;
    const email = `owner-${slug}@example.test`;
    const created = await cli([
      'org:create',
      '--name',
      'Recover',
      '--slug',
      slug,
      '--owner-email',
      email,
      '--json',
    ]);
    expect(created.code).toBe(0);
    const { org, token: first } = JSON.parse(created.stdout) as { org: { id: string }; token: string };

    const run = await cli(['user:token', '--email', email.toUpperCase(), '--expires-in-days', '7', '--json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const issued = JSON.parse(run.stdout) as { token: string; token_id: string; expires_at: string };
    expect(issued.token).toMatch(/^rg_pat_/);
    expect(issued.token).not.toBe(first);
    expect(new Date(issued.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const mine = await get(issued.token, '/orgs/me');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: org.id, role: 'owner' })]);
    const audit = await get(issued.token, `/orgs/${org.id}/audit-logs?action=personal_token.created`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actor_type: 'system',
        actor_id: 'cli',
        target_id: issued.token_id,
        metadata: expect.objectContaining({ issued_by_operator: true }),
      }),
    ]);
  });

  it('creates no user for an unknown email: exit 1 USER_NOT_FOUND, no token printed', async () => {
    const email = `nobody-${randomUUID().slice(0, 8)}@example.test`;
    const run = await cli(['user:token', '--email', email]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('USER_NOT_FOUND');
    expect(run.stdout).not.toMatch(/rg_pat_/);
    // Inviting that email later still treats it as new: the failed recovery left no user behind.
    const again = await cli(['user:token', '--email', email]);
    expect(again.code).toBe(1);
  });

  it('answers a missing --email or a bad expiry with exit 2 and the usage', async () => {
    for (const args of [['user:token'], ['user:token', '--email', 'a@b.test', '--expires-in-days', '0']]) {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Usage: repoguard user:token');
    }
  });
});
