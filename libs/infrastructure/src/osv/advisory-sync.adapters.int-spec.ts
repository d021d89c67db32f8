import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { OsvRecord, ParsedDependency, RematchTarget } from '@repoguard/domain';
import { prepareDatabase, dropDatabase } from '../persistence/database-bootstrap';
import { createMikroOrmConfig } from '../persistence/mikro-orm.config';
import { MikroOrmSnapshotRepository } from '../persistence/repositories/mikro-orm-snapshot-repository';
import { freshDatabaseUrl } from '../../../../test/support/fresh-database';
import { SqlAdvisorySyncRuns, SqlRematchTargetFinder } from './advisory-sync.adapters';
import { PostgresAdvisoryMirror } from './postgres-advisory-mirror';
import { rematchTargetsBefore } from './rematch-targets-before.test-helper';

type Dependency = Pick<ParsedDependency, 'ecosystem' | 'name'>;
type Scan = { status: string; dependencies?: readonly Dependency[]; reuse?: number };

// Re-match targets found by package key find exactly the repositories the name join found: the
// same spellings meet, and the same repositories are left out.
describe('re-match targets by package key', () => {
  // A database of its own: targets span every org.
  const databaseUrl = freshDatabaseUrl('pkgkey');
  let orm: MikroORM;
  const names = new Map<string, string>();

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 3 }));
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  const knex = () => orm.em.getKnex();

  async function org(label: string, deleted = false): Promise<string> {
    const id = randomUUID();
    await knex()('organizations').insert({
      id,
      name: label,
      slug: `${label}-${id.slice(0, 8)}`,
      deleted_at: deleted ? new Date() : null,
    });
    return id;
  }

  /** A repository and its scans, oldest first; a scan's snapshot written by the real store. */
  async function repo(
    orgId: string,
    name: string,
    scans: readonly Scan[],
    options: { disabled?: boolean } = {},
  ): Promise<void> {
    const repoId = randomUUID();
    names.set(repoId, name);
    await knex()('repositories').insert({
      id: repoId,
      org_id: orgId,
      owner: 'acme',
      name,
      default_branch: 'main',
    });
    const snapshots: (string | null)[] = [];
    for (const [i, scan] of scans.entries()) {
      let snapshotId: string | null = null;
      if (scan.reuse !== undefined) snapshotId = snapshots[scan.reuse]!;
      else if (scan.dependencies)
        snapshotId = await new MikroOrmSnapshotRepository(orm.em).create({
          orgId,
          repoId,
          commitSha: randomUUID().replace(/-/g, '').padEnd(40, '0'),
          manifests: [],
          dependencies: scan.dependencies.map((d, j) => ({
            ...d,
            version: '1.0.0',
            scope: 'runtime',
            direct: true,
            // A manifest each, so spellings of one package are kept apart as a lock file would.
            manifestPath: `m${j}/manifest`,
            purl: `pkg:generic/${encodeURIComponent(d.name)}@1.0.0`,
          })),
        });
      snapshots.push(snapshotId);
      // Started in order (start_seq follows); completion clocks skewed so only start order is right.
      await knex()('scans').insert({
        id: randomUUID(),
        org_id: orgId,
        repo_id: repoId,
        workflow_id: `repo-scan:${repoId}`,
        run_id: `r${i}`,
        trigger: 'push',
        snapshot_id: snapshotId,
        status: scan.status,
        phase_timings: '{}',
        counts: '{}',
        started_at: new Date(),
        completed_at: scan.status === 'COMPLETED' ? new Date(Date.now() - i * 60_000) : null,
      });
    }
    if (options.disabled)
      await knex()('repositories').where({ id: repoId }).update({ disabled_at: new Date() });
  }

  const advisory = (ecosystem: string, name: string): OsvRecord => ({
    id: `RG-KEY-${randomUUID()}`,
    modified: '2026-12-12T00:00:00Z',
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.0.0' }] }],
      },
    ],
  });

  const py = (name: string): Dependency => ({ ecosystem: 'PyPI', name });
  const npm = (name: string): Dependency => ({ ecosystem: 'npm', name });
  const go = (name: string): Dependency => ({ ecosystem: 'Go', name });
  const maven = (name: string): Dependency => ({ ecosystem: 'Maven', name });
  const done = (...dependencies: Dependency[]): Scan => ({ status: 'COMPLETED', dependencies });
  const namesOf = (targets: readonly RematchTarget[]) => targets.map((t) => names.get(t.repoId)).sort();

  it('finds the same repositories as the name join, on both entry points', async () => {
    const [a, b, gone] = [await org('alpha'), await org('beta'), await org('gone', true)];
    await repo(a, 'py-underscore', [done(py('Foo_Bar'), npm('left-pad'))]);
    await repo(a, 'py-dot', [done(py('foo.bar'))]);
    await repo(b, 'py-dash', [done(py('foo-bar'))]);
    await repo(a, 'py-other', [done(py('foobar'), py('foo-baz'))]);
    await repo(a, 'npm-scoped', [done(npm('@acme/widget'))]);
    // npm keeps case: a loose match the domain refuses.
    await repo(b, 'npm-scoped-case', [done(npm('@Acme/Widget'))]);
    await repo(b, 'npm-plain-not-pypi', [done(npm('foo-bar'))]);
    await repo(b, 'go', [done(go('github.com/Acme/Tool'))]);
    await repo(a, 'go-case', [done(go('github.com/acme/tool'))]);
    await repo(b, 'maven', [done(maven('org.acme:core'), maven('org.acme:other'))]);
    await repo(a, 'older-only', [done(py('foo-bar')), done(py('unrelated'))]);
    await repo(a, 'latest-only', [done(py('unrelated')), done(py('Foo.Bar'))]);
    await repo(a, 'latest-reuses-older', [
      done(py('foo_bar')),
      done(py('unrelated')),
      { status: 'COMPLETED', reuse: 0 },
    ]);
    await repo(b, 'latest-failed', [
      done(py('unrelated')),
      { status: 'FAILED', dependencies: [py('foo-bar')] },
    ]);
    await repo(b, 'latest-running', [done(maven('org.acme:core')), { status: 'RUNNING' }]);
    await repo(b, 'latest-without-snapshot', [done(go('github.com/Acme/Tool')), { status: 'COMPLETED' }]);
    await repo(a, 'never-completed', [{ status: 'FAILED', dependencies: [py('foo-bar')] }]);
    // No dependency, so no keys: nothing to match, and no reason to read dependencies.
    await repo(b, 'latest-empty', [done(py('foo-bar')), done()]);
    await repo(a, 'disabled', [done(py('foo-bar'))], { disabled: true });
    await repo(gone, 'deleted-org', [done(py('foo-bar'), npm('@acme/widget'))]);

    const runs = new SqlAdvisorySyncRuns(orm.em);
    const syncRunId = randomUUID();
    await runs.begin(syncRunId);
    const { writtenAt } = await new PostgresAdvisoryMirror(orm.em.fork()).import([
      advisory('PyPI', 'Foo.BAR'),
      advisory('npm', '@acme/widget'),
      advisory('Go', 'github.com/Acme/Tool'),
      advisory('Maven', 'org.acme:core'),
      advisory('crates.io', 'nothing-holds-this'),
    ]);

    const execute = (sql: string, params: unknown[]) => orm.em.getConnection().execute(sql, params);
    const before = await rematchTargetsBefore(execute, 'a.imported_at >= ?::timestamptz', [writtenAt]);
    expect(namesOf(before)).toStrictEqual([
      'go',
      'latest-only',
      'latest-reuses-older',
      'latest-running',
      'latest-without-snapshot',
      'maven',
      'npm-scoped',
      'py-dash',
      'py-dot',
      'py-underscore',
    ]);

    expect(await new SqlRematchTargetFinder(orm.em).affectedSince(writtenAt!)).toStrictEqual(before);
    expect(await runs.collectTargets(syncRunId)).toBe(before.length);
    const collected = await runs.targets(syncRunId, 1, 100);
    expect(collected.map(({ seq: _seq, ...target }) => target)).toStrictEqual(before);
  });

  it('still finds a repository whose latest snapshot was written without keys (the release before, mid-deploy)', async () => {
    const tag = randomUUID().slice(0, 8);
    const o = await org('keyless');
    await repo(o, `keyless-match-${tag}`, [done(py(`Keyless_Pkg_${tag}`))]);
    await repo(o, `keyless-loose-only-${tag}`, [done(npm(`@Keyless/Pkg-${tag}`))]);
    await repo(o, `keyless-other-${tag}`, [done(py(`unrelated-${tag}`))]);
    await repo(o, `keyed-match-${tag}`, [done(py(`keyless.pkg.${tag}`))]);
    // As a worker without the table's code wrote them: dependencies, no keys.
    const keyless = [...names].filter(([, name]) => name.startsWith('keyless-')).map(([id]) => id);
    await knex()('snapshot_package_keys')
      .whereIn('snapshot_id', knex()('scans').whereIn('repo_id', keyless).select('snapshot_id'))
      .delete();

    const runs = new SqlAdvisorySyncRuns(orm.em);
    const syncRunId = randomUUID();
    await runs.begin(syncRunId);
    const { writtenAt } = await new PostgresAdvisoryMirror(orm.em.fork()).import([
      advisory('PyPI', `Keyless.PKG.${tag}`),
      advisory('npm', `@keyless/pkg-${tag}`),
    ]);
    const found = await new SqlRematchTargetFinder(orm.em).affectedSince(writtenAt!);
    // npm keeps case: the loose match alone does not make a target.
    expect(namesOf(found)).toStrictEqual([`keyed-match-${tag}`, `keyless-match-${tag}`]);
    await runs.collectTargets(syncRunId);
    const collected = await runs.targets(syncRunId, 1, 100);
    expect(collected.map(({ seq: _seq, ...target }) => target)).toStrictEqual(found);
  });
});
