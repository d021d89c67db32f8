import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  AesGcmSecretBox,
  createMikroOrmConfig,
  dropDatabase,
  MikroOrmSecretStore,
  prepareDatabase,
  StoredSecretEntity,
} from '@repoguard/infrastructure';
import { runCliCommand, type CliRun } from '../support/cli-run';
import { freshDatabaseUrl } from '../support/fresh-database';

const secretsRotate = (env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<CliRun> =>
  runCliCommand(['secrets:rotate', ...args], env);

const b64 = (key: Buffer) => key.toString('base64');
const idOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

// The operator's half of key rotation: after REPOGUARD_ENCRYPTION_KEY changes, the command
// re-encrypts what the old key encrypted, so the old key can be dropped.
describe('repoguard secrets:rotate', () => {
  // A database of its own: the command rotates the whole table, and the shared e2e database may
  // hold rows sealed with keys this test does not know.
  const databaseUrl = freshDatabaseUrl('e2e_rotate');
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  let orm: MikroORM;
  const orgId = randomUUID();
  const keyIds = async () =>
    (await orm.em.fork().find(StoredSecretEntity, {}, { orderBy: { kind: 'asc' } })).map((row) => row.keyId);

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });
  beforeEach(async () => {
    await orm.em.fork().nativeDelete(StoredSecretEntity, {});
    const underA = new MikroOrmSecretStore(orm.em, new AesGcmSecretBox({ current: keyA }));
    await underA.put(orgId, 'github_token', null, 'ghp_org_token');
    await underA.put(orgId, 'webhook_secret', 'repo-1', 'whsec_repo_1');
  });

  it('re-encrypts with the new key what the old one encrypted, then finds nothing left to do', async () => {
    const env = {
      DATABASE_URL: databaseUrl,
      REPOGUARD_ENCRYPTION_KEY: b64(keyB),
      REPOGUARD_ENCRYPTION_KEYS_OLD: b64(keyA),
    };
    expect(await keyIds()).toEqual([idOf(keyA), idOf(keyA)]);

    const first = await secretsRotate(env);
    expect(first).toEqual({
      code: 0,
      stdout: `re-encrypted 2 of 2 secrets with key ${idOf(keyB)}`,
      stderr: '',
    });
    expect(await keyIds()).toEqual([idOf(keyB), idOf(keyB)]);

    // Key B alone now reads everything: the old key can go.
    const onlyB = new MikroOrmSecretStore(orm.em, new AesGcmSecretBox({ current: keyB }));
    expect(await onlyB.get(orgId, 'github_token', null)).toBe('ghp_org_token');
    expect(await onlyB.get(orgId, 'webhook_secret', 'repo-1')).toBe('whsec_repo_1');

    const second = await secretsRotate(env);
    expect(second).toEqual({
      code: 0,
      stdout: `re-encrypted 0 of 2 secrets with key ${idOf(keyB)}`,
      stderr: '',
    });
  });

  it('answers a missing REPOGUARD_ENCRYPTION_KEY with exit 2 and the usage, touching nothing', async () => {
    const run = await secretsRotate({ DATABASE_URL: databaseUrl, REPOGUARD_ENCRYPTION_KEYS_OLD: b64(keyA) });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/REPOGUARD_ENCRYPTION_KEY is not set/);
    expect(run.stderr).toContain('Usage: repoguard secrets:rotate');
    expect(await keyIds()).toEqual([idOf(keyA), idOf(keyA)]);
  });

  it.each([
    ['REPOGUARD_ENCRYPTION_KEY', { REPOGUARD_ENCRYPTION_KEY: b64(randomBytes(16)) }],
    [
      'REPOGUARD_ENCRYPTION_KEYS_OLD',
      { REPOGUARD_ENCRYPTION_KEY: b64(randomBytes(32)), REPOGUARD_ENCRYPTION_KEYS_OLD: 'not-a-key' },
    ],
  ])('refuses a malformed %s with exit 2 naming it', async (variable, keys) => {
    const run = await secretsRotate({ DATABASE_URL: databaseUrl, ...keys });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`repoguard: ${variable}`);
    expect(run.stderr).toContain('openssl rand -base64 32');
  });

  it('stops with exit 1 when the key that encrypted a secret is not given, never printing it', async () => {
    const run = await secretsRotate({ DATABASE_URL: databaseUrl, REPOGUARD_ENCRYPTION_KEY: b64(keyB) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('SECRET_UNREADABLE');
    expect(run.stderr).toContain(idOf(keyA));
    expect(run.stderr).toContain('REPOGUARD_ENCRYPTION_KEYS_OLD');
    for (const secret of ['ghp_org_token', 'whsec_repo_1', b64(keyA), b64(keyB)]) {
      expect(run.stderr).not.toContain(secret);
    }
    expect(await keyIds()).toEqual([idOf(keyA), idOf(keyA)]);
  });
});
