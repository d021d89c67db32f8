import { createHash, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { toPurl, type OsvRecord, type ParsedDependency } from '@repoguard/domain';
import { createMikroOrmConfig } from '@repoguard/infrastructure';
import { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import { createPersistActivity } from './persist.activity';
import { createRecordScanFailureActivity } from './record-scan-failure.activity';
import {
  connectedRepo,
  scanStepDeps,
  startedScan,
  type RepoRef,
  type ScanStepDeps,
} from './rematch.test-fixtures';

// Issue 18 points 1 and 6: the scan steps record what changed as notification events, in the
// transaction of the change, once however often a step is retried. On the real database.
describe('notification events of the scan steps', () => {
  let orm: MikroORM;
  const knex = () => orm.em.getKnex();

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 4 }),
    );
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  const deps = () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    return scanStepDeps(orm, () => new Date((clock += 1_000)));
  };

  interface EventRow {
    type: string;
    org_id: string;
    repo_name: string | null;
    severity: string | null;
    group_key: string;
    scan_id: string | null;
    payload: Record<string, unknown> & { finding?: Record<string, unknown> };
  }
  const eventsOf = async (repoId: string): Promise<EventRow[]> =>
    (await knex()('notification_events')
      .where({ repo_id: repoId })
      .orderBy('seq')
      .select('type', 'org_id', 'repo_name', 'severity', 'group_key', 'scan_id', 'payload')) as EventRow[];

  const advisory = (id: string, name: string, changes: Partial<OsvRecord> & { fixed?: string } = {}) => {
    const { fixed, ...rest } = changes;
    return {
      id,
      modified: new Date().toISOString(),
      summary: 'Prototype pollution in merge',
      database_specific: { severity: 'MODERATE' },
      affected: [
        {
          package: { ecosystem: 'npm', name },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }],
        },
      ],
      ...rest,
    } as OsvRecord;
  };

  const dependency = (name: string, version = '1.0.0') => {
    const d: ParsedDependency = {
      ecosystem: 'npm',
      name,
      version,
      scope: 'runtime',
      direct: true,
      manifestPath: 'package-lock.json',
      line: 1,
    };
    return { ...d, purl: toPurl(d.ecosystem, d.name, d.version) };
  };

  /** A snapshot read in full holding `names`, each matched to the advisories given for it. */
  async function snapshot(d: ScanStepDeps, repo: RepoRef, matches: Record<string, string[]>) {
    const snapshotId = await d.snapshots.create({
      ...repo,
      commitSha: createHash('sha1').update(randomUUID()).digest('hex'),
      manifests: [
        {
          path: 'package-lock.json',
          blobSha: 'b'.repeat(40),
          parserId: 'package-lock-json',
          diagnostics: [],
        },
      ],
      dependencies: Object.keys(matches).map((name) => dependency(name)),
    });
    const stored = await d.snapshots.dependencies(snapshotId);
    await d.snapshots.replaceMatches(
      { id: snapshotId, ...repo },
      stored.flatMap((dep) =>
        (matches[dep.name] ?? []).map((vulnerabilityId) => ({ dependencyId: dep.id, vulnerabilityId })),
      ),
    );
    return snapshotId;
  }

  /** A scan of `snapshotId` through persist (and evaluate), as the worker runs them. */
  async function scan(
    d: ScanStepDeps,
    repo: RepoRef,
    snapshotId: string,
    withdrawn: readonly string[] = [],
  ): Promise<{ scanId: string; persist: () => Promise<unknown> }> {
    const scanId = await startedScan(d, repo);
    const persist = createPersistActivity({
      ...d,
      // The advisory database (OSV) is the one outside service here: it answers what was withdrawn.
      vulnerabilityDatabase: {
        withdrawn: (ids) => Promise.resolve(new Set(ids.filter((id) => withdrawn.includes(id)))),
      },
    });
    const run = () => persist({ scanId, ...repo, snapshotId });
    await run();
    return { scanId, persist: run };
  }

  it('tells of an advisory raised, then fixed, then withdrawn: changed, changed, resolved; once each', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const other = await connectedRepo(orm);
    const id = `RG-EVT-${randomUUID()}`;
    const pkg = `merge-${randomUUID().slice(0, 8)}`;
    await d.vulnerabilityCache.upsert([advisory(id, pkg)]);
    const matched = await snapshot(d, repo, { [pkg]: [id] });
    // Another org's repository, without the package: nothing of this advisory reaches it.
    await scan(d, other, await snapshot(d, other, { 'unrelated-pkg': [] }));

    const first = await scan(d, repo, matched);
    await d.vulnerabilityCache.upsert([advisory(id, pkg, { database_specific: { severity: 'CRITICAL' } })]);
    const raised = await scan(d, repo, matched);
    await d.vulnerabilityCache.upsert([
      advisory(id, pkg, { database_specific: { severity: 'CRITICAL' }, fixed: '1.5.0' }),
    ]);
    const fixed = await scan(d, repo, matched);
    // Withdrawn: matching no longer finds it (the osv step leaves it out), its source says why.
    const gone = await scan(d, repo, await snapshot(d, repo, { [pkg]: [] }), [id]);
    // Retries of the last two persists (a lost answer): nothing new, nothing changed, nothing closed.
    await fixed.persist().catch(() => undefined);
    await gone.persist();

    const events = await eventsOf(repo.repoId);
    expect(events.map((e) => [e.type, e.scan_id])).toEqual([
      ['finding.new', first.scanId],
      ['finding.changed', raised.scanId],
      ['finding.changed', fixed.scanId],
      ['finding.resolved', gone.scanId],
    ]);
    expect(events.map((e) => e.payload['changes'] ?? e.payload['reason'] ?? null)).toEqual([
      null,
      { severity: { from: 'MEDIUM', to: 'CRITICAL' } },
      { fixed_versions: { from: [], to: ['1.5.0'] } },
      'advisory_withdrawn',
    ]);
    const [row] = (await knex()('repositories').where({ id: repo.repoId }).select('owner', 'name')) as {
      owner: string;
      name: string;
    }[];
    for (const e of events) {
      expect(e).toMatchObject({
        org_id: repo.orgId,
        repo_name: `${row!.owner}/${row!.name}`,
        group_key: e.scan_id,
      });
      expect(e.payload.finding).toMatchObject({
        vulnerability_id: id,
        package_name: pkg,
        summary: 'Prototype pollution in merge',
      });
    }
    expect(events.map((e) => e.severity)).toEqual(['MEDIUM', 'CRITICAL', 'CRITICAL', 'CRITICAL']);
    expect(await eventsOf(other.repoId)).toEqual([]);
  });

  it('tells of a summary rewritten, and of a dependency upgraded then back: resolved, then new again', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const id = `RG-EVT-${randomUUID()}`;
    const pkg = `left-${randomUUID().slice(0, 8)}`;
    await d.vulnerabilityCache.upsert([advisory(id, pkg)]);
    const vulnerable = await snapshot(d, repo, { [pkg]: [id] });
    await scan(d, repo, vulnerable);
    await d.vulnerabilityCache.upsert([
      advisory(id, pkg, { summary: 'Prototype pollution in merge()\n(all versions)' }),
    ]);
    await scan(d, repo, vulnerable);
    const upgraded = await scan(d, repo, await snapshot(d, repo, { [pkg]: [] }));
    await upgraded.persist();
    await scan(d, repo, vulnerable);

    const events = await eventsOf(repo.repoId);
    expect(events.map((e) => e.type)).toEqual([
      'finding.new',
      'finding.changed',
      'finding.resolved',
      'finding.new',
    ]);
    expect(events[1]!.payload['changes']).toEqual({
      summary: { from: 'Prototype pollution in merge', to: 'Prototype pollution in merge() (all versions)' },
    });
    expect(events[2]!.payload['reason']).toBe('dependency_changed');
  });

  it('tells nothing of findings kept open because their manifest could not be read', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const id = `RG-EVT-${randomUUID()}`;
    const pkg = `unread-${randomUUID().slice(0, 8)}`;
    await d.vulnerabilityCache.upsert([advisory(id, pkg)]);
    await scan(d, repo, await snapshot(d, repo, { [pkg]: [id] }));
    // A snapshot that read no manifest at all cannot say anything is gone.
    const unread = await d.snapshots.create({
      ...repo,
      commitSha: createHash('sha1').update(randomUUID()).digest('hex'),
      manifests: [],
      dependencies: [],
    });
    await scan(d, repo, unread);

    expect((await eventsOf(repo.repoId)).map((e) => e.type)).toEqual(['finding.new']);
  });

  it('records a status change with its reasons at the verdict, once, and nothing for an unchanged one', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const id = `RG-EVT-${randomUUID()}`;
    const pkg = `crit-${randomUUID().slice(0, 8)}`;
    await d.vulnerabilityCache.upsert([advisory(id, pkg, { database_specific: { severity: 'CRITICAL' } })]);
    const snapshotId = await snapshot(d, repo, { [pkg]: [id] });
    const evaluate = createEvaluatePolicyActivity(d);
    const first = await scan(d, repo, snapshotId);
    await evaluate({ scanId: first.scanId, ...repo, snapshotId });
    await evaluate({ scanId: first.scanId, ...repo, snapshotId }); // a retry
    const second = await scan(d, repo, snapshotId);
    await evaluate({ scanId: second.scanId, ...repo, snapshotId }); // FAIL again: no change

    const changes = (await eventsOf(repo.repoId)).filter((e) => e.type === 'repo.status_changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ group_key: first.scanId, scan_id: first.scanId, severity: null });
    expect(changes[0]!.payload).toMatchObject({ old_status: 'PENDING', new_status: 'FAIL', cause: 'scan' });
    expect(changes[0]!.payload['reasons']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'fail_on_severity',
          status: 'FAIL',
          findings: [`${id}@npm/${pkg}@1.0.0`],
        }),
      ]),
    );
  });

  it('records scan.failed once per scan, with PENDING → ERROR for a first scan, however often the step is retried', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const scanId = await startedScan(d, repo);
    const recordScanFailure = createRecordScanFailureActivity(d);
    const failure = { scanId, ...repo, code: 'MANIFEST_TOO_LARGE', message: 'package-lock.json is 12 MB' };
    await recordScanFailure(failure);
    await recordScanFailure(failure);
    // A later scan of a repository that has a verdict fails: its status stays, only scan.failed.
    const later = await startedScan(d, repo);
    await recordScanFailure({ ...failure, scanId: later });

    const events = await eventsOf(repo.repoId);
    expect(events.map((e) => [e.type, e.scan_id])).toEqual([
      ['scan.failed', scanId],
      ['repo.status_changed', scanId],
      ['scan.failed', later],
    ]);
    expect(events[0]!.payload).toEqual({
      scan_id: scanId,
      code: 'MANIFEST_TOO_LARGE',
      message: 'package-lock.json is 12 MB',
    });
    expect(events[1]!.payload).toMatchObject({
      old_status: 'PENDING',
      new_status: 'ERROR',
      cause: 'scan',
      reasons: [],
    });
  });

  it('records scan.failed once for a row the reconciler abandons or a workflow closes FAILED', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const abandoned = await startedScan(d, repo);
    await d.scans.abandon(abandoned, 'SCAN_ABANDONED', 'no worker finished it', new Date());
    await d.scans.abandon(abandoned, 'SCAN_ABANDONED', 'no worker finished it', new Date());
    // The workflow's own failure record arrives late: the row is FAILED already, nothing more to tell.
    await createRecordScanFailureActivity(d)({ scanId: abandoned, ...repo, code: 'X', message: 'late' });
    const closed = {
      scanId: randomUUID(),
      ...repo,
      workflowId: `repo-scan:${repo.repoId}`,
      runId: randomUUID(),
      trigger: 'rematch',
      requestedBy: null,
      ref: null,
    };
    const outcome = { status: 'FAILED', code: 'REMATCH_NOT_TAKEN', message: 'no worker took it' } as const;
    await d.scans.close(closed, outcome, new Date());
    await d.scans.close(closed, outcome, new Date());

    const failed = (await eventsOf(repo.repoId)).filter((e) => e.type === 'scan.failed');
    expect(failed.map((e) => [e.scan_id, e.payload['code']])).toEqual([
      [abandoned, 'SCAN_ABANDONED'],
      [closed.scanId, 'REMATCH_NOT_TAKEN'],
    ]);
  });

  it('writes nothing, events included, when a newer scan has persisted first', async () => {
    const d = deps();
    const repo = await connectedRepo(orm);
    const id = `RG-EVT-${randomUUID()}`;
    const pkg = `sup-${randomUUID().slice(0, 8)}`;
    await d.vulnerabilityCache.upsert([advisory(id, pkg)]);
    const snapshotId = await snapshot(d, repo, { [pkg]: [id] });
    const older = await startedScan(d, repo);
    const newer = await startedScan(d, repo);
    await d.scans.phase(newer, 'PERSISTING', { snapshotId });
    const result = await createPersistActivity(d)({ scanId: older, ...repo, snapshotId });

    expect(result).toMatchObject({ supersededBy: newer });
    expect(await eventsOf(repo.repoId)).toEqual([]);
  });
});
