import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  DeleteOrganization,
  DisconnectRepository,
  UpdateNotificationRule,
  type OrgCaller,
} from '@repoguard/application';
import { DomainError, SYSTEM_CLOCK, SYSTEM_SCOPE, type ScanCanceller } from '@repoguard/domain';
import { createMikroOrmConfig } from '../mikro-orm.config';
import { MikroOrmUnitOfWork } from './mikro-orm-unit-of-work';

// A rule's repository list against repositories that go away: on real PostgreSQL.
describe('notification rules listing repositories', () => {
  let orm: MikroORM;
  let uow: MikroOrmUnitOfWork;
  const db = () => orm.em.getKnex();
  // Cancelling a scan is Temporal's part; nothing scans here.
  const scans: ScanCanceller = { cancel: async () => undefined };

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 5 }),
    );
    uow = new MikroOrmUnitOfWork(orm.em);
  });
  afterAll(async () => orm?.close(true));

  async function repo(orgId: string): Promise<string> {
    const id = randomUUID();
    await db()('repositories').insert({
      id,
      org_id: orgId,
      owner: 'acme',
      name: `api-${id.slice(0, 8)}`,
      default_branch: 'main',
    });
    return id;
  }

  async function org() {
    const orgId = randomUUID();
    await db()('organizations').insert({ id: orgId, name: 'rules', slug: `rules-${orgId.slice(0, 12)}` });
    const channelId = randomUUID();
    await db()('notification_channels').insert({
      id: channelId,
      org_id: orgId,
      name: 'c',
      kind: 'slack',
      summary: '{}',
    });
    const caller: OrgCaller = {
      scope: SYSTEM_SCOPE,
      orgId,
      role: 'owner',
      actor: { actorType: 'user', actorId: randomUUID(), correlationId: null, ip: null },
    };
    return { orgId, channelId, caller };
  }

  async function rule(orgId: string, channelId: string, repoIds: string[]): Promise<string> {
    const id = randomUUID();
    await db()('notification_rules').insert({
      id,
      org_id: orgId,
      name: `r-${id.slice(0, 8)}`,
      channel_id: channelId,
      events: JSON.stringify(['finding.new']),
      repositories: JSON.stringify({ kind: 'list', repo_ids: repoIds }),
    });
    return id;
  }

  const listed = async (ruleId: string): Promise<string[]> => {
    const row = (await db()('notification_rules').where({ id: ruleId }).first('repositories')) as {
      repositories: { repo_ids: string[] };
    };
    return row.repositories.repo_ids;
  };

  it('a rule still naming a repository that is gone can be switched off and edited; only ids it adds are checked', async () => {
    const { orgId, channelId, caller } = await org();
    const gone = await repo(orgId);
    const kept = await repo(orgId);
    const ruleId = await rule(orgId, channelId, [gone, kept]);
    // Deleted behind the rules' back (a row from before disconnects cleaned rules up).
    await db()('repositories').where({ id: gone }).delete();
    const update = new UpdateNotificationRule(uow);

    const off = await update.execute({ caller, ruleId, body: { enabled: false } });
    expect(off.enabled).toBe(false);

    const added = await repo(orgId);
    const edited = await update.execute({
      caller,
      ruleId,
      body: { repositories: { kind: 'list', repo_ids: [gone, kept, added] } },
    });
    expect(edited.repositories).toEqual({ kind: 'list', repo_ids: [gone, kept, added] });

    // A new id that is not the org's is still refused, naming its place in the list.
    const other = await org();
    const foreign = await repo(other.orgId);
    const refused = await update
      .execute({ caller, ruleId, body: { repositories: { kind: 'list', repo_ids: [gone, foreign] } } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'REPO_NOT_FOUND',
      details: [{ field: 'repositories.repo_ids[1]', problem: "is not one of the org's repositories" }],
    });
    expect(await listed(ruleId)).toEqual([gone, kept, added]);
  });

  it('disconnecting a repository takes it off every rule of its org in the same transaction', async () => {
    const { orgId, channelId, caller } = await org();
    const leaving = await repo(orgId);
    const staying = await repo(orgId);
    const both = await rule(orgId, channelId, [leaving, staying]);
    const only = await rule(orgId, channelId, [leaving]);
    const unrelated = await rule(orgId, channelId, [staying]);

    await new DisconnectRepository(uow, scans).execute({ caller, orgId, repoId: leaving, purge: false });

    expect(await listed(both)).toEqual([staying]);
    // An empty list selects nothing: the rule does not widen to every repository.
    expect(await listed(only)).toEqual([]);
    expect(await listed(unrelated)).toEqual([staying]);
    const off = await new UpdateNotificationRule(uow).execute({
      caller,
      ruleId: only,
      body: { enabled: false },
    });
    expect(off.enabled).toBe(false);
  });

  it("a disconnect that fails leaves the rules as they were; another org's rules are never touched", async () => {
    const a = await org();
    const b = await org();
    const repoA = await repo(a.orgId);
    const ruleA = await rule(a.orgId, a.channelId, [repoA]);
    // Org B asks to disconnect A's repository: not found, and nothing changes.
    const refused = await new DisconnectRepository(uow, scans)
      .execute({ caller: b.caller, orgId: b.orgId, repoId: repoA, purge: false })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'REPO_NOT_FOUND' });
    expect(await listed(ruleA)).toEqual([repoA]);
  });

  it("deleting the org empties its rules' repository lists along with its repositories", async () => {
    const { orgId, channelId, caller } = await org();
    const one = await repo(orgId);
    const two = await repo(orgId);
    const ruleId = await rule(orgId, channelId, [one, two]);

    await new DeleteOrganization(uow, SYSTEM_CLOCK, scans).execute({ caller });

    expect(await listed(ruleId)).toEqual([]);
  });
});
