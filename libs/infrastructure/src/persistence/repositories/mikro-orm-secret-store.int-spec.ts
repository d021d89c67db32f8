import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { AesGcmSecretBox, SecretDecryptionError } from '../../crypto/secret-box';
import { dropDatabase, prepareDatabase } from '../database-bootstrap';
import { StoredSecretEntity } from '../entities';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmSecretStore } from './mikro-orm-secret-store';

// A database of its own: rotateAll reads the whole table, and rows other runs sealed with their
// own random keys would make it (rightly) refuse to go on.
function freshDatabaseUrl(): string {
  const base = new URL(process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_test');
  base.pathname = `/repoguard_it_secrets_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return base.toString();
}

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const onlyA = new AesGcmSecretBox({ current: keyA });
const onlyB = new AesGcmSecretBox({ current: keyB });
const bWithOldA = new AesGcmSecretBox({ current: keyB, old: [keyA] });

interface Row {
  id: string;
  org_id: string;
  kind: string;
  owner_id: string | null;
  sealed: string;
  key_id: string;
  whole: string;
}

describe('MikroOrmSecretStore', () => {
  const databaseUrl = freshDatabaseUrl();
  let orm: MikroORM;
  const store = (box: AesGcmSecretBox) => new MikroOrmSecretStore(orm.em, box);
  const rows = (orgId: string): Promise<Row[]> =>
    orm.em
      .getConnection()
      .execute<Row[]>(
        'select s.*, s::text as whole from stored_secrets s where org_id = ? order by kind, owner_id',
        [orgId],
      );
  const setSealed = (id: string, sealed: string) =>
    orm.em.getConnection().execute('update stored_secrets set sealed = ? where id = ?', [sealed, id]);
  const unreadable = expect.objectContaining({ code: 'SECRET_UNREADABLE' });

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  it('gives back what was put, per org, kind and owner, and replaces on a second put', async () => {
    const orgId = randomUUID();
    const secrets = store(onlyA);
    await secrets.put(orgId, 'github_token', null, 'ghp_first');
    await secrets.put(orgId, 'webhook_secret', 'repo-1', 'whsec-1 ✓');
    await secrets.put(orgId, 'webhook_secret', 'repo-2', 'whsec-2');
    await secrets.put(orgId, 'github_token', null, 'ghp_second');

    expect(await secrets.get(orgId, 'github_token', null)).toBe('ghp_second');
    expect(await secrets.get(orgId, 'webhook_secret', 'repo-1')).toBe('whsec-1 ✓');
    expect(await secrets.get(orgId, 'webhook_secret', 'repo-2')).toBe('whsec-2');
    expect(await secrets.get(orgId, 'webhook_secret', 'repo-3')).toBeNull();
    expect(await secrets.get(randomUUID(), 'github_token', null)).toBeNull();
    // An org-wide secret (no owner) is one row too, however often it is put.
    expect((await rows(orgId)).map((r) => [r.kind, r.owner_id])).toEqual([
      ['github_token', null],
      ['webhook_secret', 'repo-1'],
      ['webhook_secret', 'repo-2'],
    ]);
  });

  it('deletes one secret and says whether there was one', async () => {
    const orgId = randomUUID();
    const secrets = store(onlyA);
    await secrets.put(orgId, 'webhook_secret', 'repo-1', 'one');
    await secrets.put(orgId, 'webhook_secret', 'repo-2', 'two');

    expect(await secrets.delete(orgId, 'webhook_secret', 'repo-1')).toBe(true);
    expect(await secrets.delete(orgId, 'webhook_secret', 'repo-1')).toBe(false);
    expect(await secrets.get(orgId, 'webhook_secret', 'repo-1')).toBeNull();
    expect(await secrets.get(orgId, 'webhook_secret', 'repo-2')).toBe('two');
  });

  it('never writes the plaintext to the database', async () => {
    const orgId = randomUUID();
    const plaintext = `ghp_${randomBytes(18).toString('hex')}`;
    await store(onlyA).put(orgId, 'github_token', null, plaintext);

    const [row] = await rows(orgId);
    expect(row!.sealed).toMatch(new RegExp(`^v1\\.${onlyA.currentKeyId}\\.`));
    expect(row!.key_id).toBe(onlyA.currentKeyId);
    expect(row!.whole).not.toContain(plaintext);
    expect(row!.whole).not.toContain(Buffer.from(plaintext).toString('base64url').slice(0, 12));
  });

  it('refuses a value changed in SQL', async () => {
    const orgId = randomUUID();
    const secrets = store(onlyA);
    await secrets.put(orgId, 'github_token', null, 'ghp_untouched');
    const [row] = await rows(orgId);
    const at = row!.sealed.length - 5;
    const changed = `${row!.sealed.slice(0, at)}${row!.sealed[at] === 'a' ? 'b' : 'a'}${row!.sealed.slice(at + 1)}`;
    await setSealed(row!.id, changed);

    const error: unknown = await secrets.get(orgId, 'github_token', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretDecryptionError);
    expect(error).toEqual(unreadable);
    expect((error as Error).message).not.toContain('ghp_untouched');
  });

  it.each([
    ['another owner', { kind: 'webhook_secret', ownerId: 'repo-2' }, false],
    ['another kind', { kind: 'github_token', ownerId: 'repo-1' }, false],
    ['another org', { kind: 'webhook_secret', ownerId: 'repo-1' }, true],
  ] as const)('refuses a value copied in SQL to %s', async (_case, target, otherOrg) => {
    const orgId = randomUUID();
    const targetOrg = otherOrg ? randomUUID() : orgId;
    const secrets = store(onlyA);
    await secrets.put(orgId, 'webhook_secret', 'repo-1', 'the-copied-secret');
    await secrets.put(targetOrg, target.kind, target.ownerId, 'the-target-secret');
    const [source] = (await rows(orgId)).filter(
      (r) => r.kind === 'webhook_secret' && r.owner_id === 'repo-1',
    );
    const [destination] = (await rows(targetOrg)).filter(
      (r) => r.kind === target.kind && r.owner_id === target.ownerId,
    );
    await setSealed(destination!.id, source!.sealed);

    await expect(secrets.get(targetOrg, target.kind, target.ownerId)).rejects.toEqual(unreadable);
    expect(await secrets.get(orgId, 'webhook_secret', 'repo-1')).toBe('the-copied-secret');
  });

  it('refuses an empty owner id, which would share the AAD of an org-wide secret', async () => {
    await expect(store(onlyA).put(randomUUID(), 'github_token', '', 'x')).rejects.toThrow(/owner id/);
  });

  describe('rotateAll', () => {
    beforeEach(async () => {
      await orm.em.fork().nativeDelete(StoredSecretEntity, {});
    });

    it('re-seals with the current key what old keys sealed, once', async () => {
      const orgId = randomUUID();
      const values = Array.from({ length: 230 }, (_, i) => [`repo-${i}`, `secret-${i}-${randomUUID()}`]);
      for (const [owner, value] of values) await store(onlyA).put(orgId, 'webhook_secret', owner!, value!);
      await store(bWithOldA).put(orgId, 'github_token', null, 'ghp_already_b');

      // Before the rotation, key B alone cannot read what A sealed; with A as an old key it can.
      await expect(store(onlyB).get(orgId, 'webhook_secret', 'repo-0')).rejects.toEqual(unreadable);
      expect(await store(bWithOldA).get(orgId, 'webhook_secret', 'repo-0')).toBe(values[0]![1]);

      const before = await rows(orgId);
      // More rows than one batch, so the run crosses batch boundaries.
      expect(await store(bWithOldA).rotateAll()).toEqual({ rotated: 230, total: 231 });
      const after = await rows(orgId);
      expect(new Set(after.map((r) => r.key_id))).toEqual(new Set([onlyB.currentKeyId]));
      expect(after.every((r) => onlyB.keyIdOf(r.sealed) === onlyB.currentKeyId)).toBe(true);
      const sealedBefore = new Map(before.map((r) => [r.id, r.sealed]));
      expect(after.filter((r) => r.kind === 'webhook_secret' && r.sealed === sealedBefore.get(r.id))).toEqual(
        [],
      );

      expect(await store(bWithOldA).rotateAll()).toEqual({ rotated: 0, total: 231 });

      const readable = await Promise.all(
        values.map(([owner]) => store(onlyB).get(orgId, 'webhook_secret', owner!)),
      );
      expect(readable).toEqual(values.map(([, value]) => value));
      expect(await store(onlyB).get(orgId, 'github_token', null)).toBe('ghp_already_b');
    });

    it('stops at a value no configured key opens, and finishes once that key is supplied', async () => {
      const keyC = randomBytes(32);
      const orgId = randomUUID();
      await store(onlyA).put(orgId, 'webhook_secret', 'repo-a', 'sealed-with-a');
      await store(new AesGcmSecretBox({ current: keyC })).put(
        orgId,
        'webhook_secret',
        'repo-c',
        'sealed-with-c',
      );

      const error: unknown = await store(bWithOldA)
        .rotateAll()
        .catch((e: unknown) => e);
      expect(error).toEqual(expect.objectContaining({ code: 'SECRET_UNREADABLE', reason: 'unknown_key' }));

      const everyKey = new AesGcmSecretBox({ current: keyB, old: [keyA, keyC] });
      const second = await store(everyKey).rotateAll();
      expect(second.total).toBe(2);
      // The first run may have rotated repo-a before it reached repo-c: rows are taken by id.
      expect(second.rotated).toBeGreaterThanOrEqual(1);
      expect((await rows(orgId)).map((r) => r.key_id)).toEqual([onlyB.currentKeyId, onlyB.currentKeyId]);
      expect(await store(onlyB).get(orgId, 'webhook_secret', 'repo-c')).toBe('sealed-with-c');
    });
  });
});
