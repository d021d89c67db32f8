import type { TokenIssuer } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { FakeUnitOfWork, fixedClock } from '../testing/fake-unit-of-work';
import { InMemoryPersonalTokenRepository } from '../testing/in-memory-personal-token-repository';
import { CreatePersonalToken } from './create-personal-token.use-case';
import { ListPersonalTokens } from './list-personal-tokens.use-case';
import { RevokePersonalToken } from './revoke-personal-token.use-case';

const NOW = '2026-12-04T12:00:00.000Z';
const ORGS = ['org-a', 'org-b'];
const user = (id: string, orgIds: string[] = ORGS): Caller => ({
  scope: { orgIds },
  actor: { actorType: 'user', actorId: id, correlationId: 'req-1', ip: null },
});
const apiKey: Caller = {
  scope: { orgIds: ['org-a'] },
  actor: { actorType: 'api_key', actorId: 'key-1', correlationId: null, ip: null },
};

function setUp() {
  const personalTokens = new InMemoryPersonalTokenRepository(() => new Date(NOW));
  const uow = new FakeUnitOfWork({ personalTokens });
  let serial = 0;
  const tokens: TokenIssuer = {
    issue: () => {
      serial++;
      return { token: `rg_pat_secret${serial}`, hash: `hash-${serial}`, prefix: `rg_pat_sec${serial}` };
    },
    hash: (t) => `hash-of-${t}`,
  };
  const clock = fixedClock(NOW);
  return {
    uow,
    rows: personalTokens.rows,
    create: new CreatePersonalToken(uow, tokens, clock),
    list: new ListPersonalTokens(uow),
    revoke: new RevokePersonalToken(uow, clock),
  };
}

describe('personal tokens', () => {
  it("creates a token for the caller alone, stores only its hash and audits it in each of the caller's orgs", async () => {
    const { create, rows, uow } = setUp();
    const expiresAt = new Date('2027-01-01T00:00:00Z');
    const created = await create.execute({ caller: user('u-1'), name: ' laptop ', expiresAt });
    expect(created.secret).toBe('rg_pat_secret1');
    expect(created.token).toMatchObject({ userId: 'u-1', name: 'laptop', prefix: 'rg_pat_sec1', expiresAt });
    expect(rows).toEqual([expect.objectContaining({ userId: 'u-1', tokenHash: 'hash-1' })]);
    expect(JSON.stringify(rows)).not.toContain('rg_pat_secret1');
    expect(uow.audited.map((row) => [row.orgId, row.action, row.targetId, row.actor.actorId])).toEqual([
      ['org-a', 'personal_token.created', created.token.id, 'u-1'],
      ['org-b', 'personal_token.created', created.token.id, 'u-1'],
    ]);
    expect(uow.audited[0]!.metadata).toEqual({
      name: 'laptop',
      prefix: 'rg_pat_sec1',
      expires_at: '2027-01-01T00:00:00.000Z',
    });
  });

  it('refuses an expiry that is not in the future and a blank name, writing nothing', async () => {
    const { create, rows, uow } = setUp();
    await expect(
      create.execute({ caller: user('u-1'), name: 'old', expiresAt: new Date(NOW) }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ field: 'expires_at', problem: 'must be in the future' }],
    });
    // What `new Date('2030-W01-1')` makes of an ISO week date the DTO accepted.
    await expect(
      create.execute({ caller: user('u-1'), name: 'week', expiresAt: new Date('2030-W01-1') }),
    ).rejects.toMatchObject({ kind: 'invalid', details: [expect.objectContaining({ field: 'expires_at' })] });
    await expect(create.execute({ caller: user('u-1'), name: '   ', expiresAt: null })).rejects.toMatchObject(
      {
        kind: 'invalid',
        details: [{ field: 'name', problem: 'must be 1 to 100 characters' }],
      },
    );
    expect([rows, uow.audited]).toEqual([[], []]);
  });

  it('lists only the caller’s own tokens, newest first, without secrets or hashes', async () => {
    const { create, list } = setUp();
    await create.execute({ caller: user('u-1'), name: 'one', expiresAt: null });
    await create.execute({ caller: user('u-2'), name: 'theirs', expiresAt: null });
    await create.execute({ caller: user('u-1'), name: 'two', expiresAt: null });
    const mine = await list.execute({ caller: user('u-1') });
    expect(mine.map((t) => t.name)).toEqual(['two', 'one']);
  });

  it("revokes one's own token once (audited once); another user's token is not found", async () => {
    const { create, revoke, rows, uow } = setUp();
    const mine = await create.execute({ caller: user('u-1'), name: 'mine', expiresAt: null });
    const theirs = await create.execute({ caller: user('u-2'), name: 'theirs', expiresAt: null });
    uow.audited.length = 0;

    await expect(revoke.execute({ caller: user('u-1'), tokenId: theirs.token.id })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'PERSONAL_TOKEN_NOT_FOUND',
    });
    expect(rows.find((t) => t.id === theirs.token.id)?.revokedAt).toBeNull();

    await revoke.execute({ caller: user('u-1'), tokenId: mine.token.id });
    await revoke.execute({ caller: user('u-1'), tokenId: mine.token.id });
    expect(rows.find((t) => t.id === mine.token.id)?.revokedAt).toEqual(new Date(NOW));
    expect(uow.audited.map((row) => [row.orgId, row.action])).toEqual([
      ['org-a', 'personal_token.revoked'],
      ['org-b', 'personal_token.revoked'],
    ]);
  });

  it('is for users only: an API key may neither create, list nor revoke personal tokens', async () => {
    const { create, list, revoke, rows } = setUp();
    const refused = { kind: 'forbidden', code: 'USER_TOKEN_REQUIRED' };
    await expect(create.execute({ caller: apiKey, name: 'x', expiresAt: null })).rejects.toMatchObject(
      refused,
    );
    await expect(list.execute({ caller: apiKey })).rejects.toMatchObject(refused);
    await expect(revoke.execute({ caller: apiKey, tokenId: 'pt-1' })).rejects.toMatchObject(refused);
    expect(rows).toEqual([]);
  });
});
