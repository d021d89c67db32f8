import type { EntityManager } from '@mikro-orm/postgresql';
import {
  isEcosystem,
  normalizePackageName,
  type AdvisoryImporter,
  type AdvisorySyncRuns,
  type AdvisoryImportReport,
  type NumberedRematchTarget,
  type RematchTarget,
  type RematchTargetFinder,
} from '@repoguard/domain';
import { streamOsvExportFrom, type OsvExportSourceOptions } from './osv-export-source';
import { PostgresAdvisoryMirror } from './postgres-advisory-mirror';
import { NEWEST_FIRST } from '../persistence/repositories/scan-outcome-lock';

/**
 * Streams an export from a path or URL, within the limits given, into the PostgreSQL mirror; an
 * export that passes a cap is refused whole (ADVISORY_EXPORT_TOO_LARGE, not retried), also when
 * found part way: the import's transaction rolls back.
 */
export class OsvExportImporter implements AdvisoryImporter {
  constructor(
    private readonly em: EntityManager,
    private readonly options: OsvExportSourceOptions = {},
  ) {}

  async importFrom(source: string): Promise<AdvisoryImportReport> {
    const mirror = new PostgresAdvisoryMirror(this.em.fork());
    const read = streamOsvExportFrom(source, {
      ...this.options,
      unchangedEntries: (ids) => mirror.entryDigests(ids),
    });
    const { invalid, ...counts } = await mirror.import(read.records, read.unread);
    return { ...counts, skipped: read.problems.length + invalid.length };
  }
}

/**
 * Finds the repositories to re-match after an import: enabled repositories, of orgs not deleted,
 * whose last completed scan's snapshot holds a package that an advisory written since names.
 */
export class SqlRematchTargetFinder implements RematchTargetFinder {
  constructor(private readonly em: EntityManager) {}

  async affectedSince(writtenAt: string): Promise<RematchTarget[]> {
    // In a transaction for affectedRepositories' `set local`.
    return this.em
      .fork()
      .transactional((em) =>
        affectedRepositories(inTransaction(em), 'a.imported_at >= ?::timestamptz', [writtenAt]),
      );
  }
}

type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Enabled repositories whose latest completed snapshot holds a package a changed advisory names.
 * Snapshots and advisories meet on the domain's normalised key (`snapshot_package_keys`, written
 * with the snapshot), by equality on indexes; each repository's latest snapshot is one probe of
 * `scans_latest_completed_index`, never a sort of every scan. A snapshot without keys (written by
 * the release before, while a rolling deploy runs both) is matched by its dependencies instead.
 * Runs in the caller's transaction.
 */
async function affectedRepositories(
  execute: Execute,
  changedWhere: string,
  params: unknown[],
): Promise<RematchTarget[]> {
  const changed = `changed as (
         select distinct p.ecosystem, p.name
           from mirrored_advisory_packages p
           join mirrored_advisories a on a.id = p.advisory_id
          where ${changedWhere}
       )`;
  // Index probes only, but their estimated cost grows with the repositories until PostgreSQL
  // JIT-compiles the query: about 1 s of compiling at 10,000 repositories for 100 ms of work.
  await execute('set local jit = off', []);
  const rows = (await execute(
    `with ${changed},
       latest as materialized (
         select r.org_id, r.id as repo_id, r.owner, r.name as repo_name, l.snapshot_id
           from repositories r
           join organizations o on o.id = r.org_id and o.deleted_at is null
           cross join lateral (
             select s.snapshot_id
               from scans s
              where s.repo_id = r.id and s.status = 'COMPLETED' and s.snapshot_id is not null
              order by ${NEWEST_FIRST('s')}
              limit 1
           ) l
          where r.disabled_at is null
       ),
       holding as (
         select distinct k.snapshot_id
           from changed c
           join snapshot_package_keys k on k.ecosystem = c.ecosystem and k.name_key = c.name
       )
       select * from (
         select l.*, l.snapshot_id in (select snapshot_id from holding) as holds,
                -- A snapshot of no dependency has no keys either, and nothing to match.
                not exists (select 1 from snapshot_package_keys k where k.snapshot_id = l.snapshot_id)
                  and exists (select 1 from dependencies d where d.snapshot_id = l.snapshot_id) as keyless
           from latest l
       ) t
        where holds or keyless`,
    params,
  )) as (RematchTargetRow & { holds: boolean; keyless: boolean })[];
  const targets = rows.filter((row) => row.holds);
  const keyless = rows.filter((row) => row.keyless);
  if (keyless.length > 0) {
    // A statement of its own, run only when such a snapshot exists, on those snapshots' dependencies
    // alone: as a branch of the one above, its plan read every dependency once any latest snapshot
    // lacked keys.
    const holding = new Set<string>();
    const names = (await execute(
      `with ${changed}
       select distinct d.snapshot_id, d.ecosystem, d.name as package_name, c.name as advisory_package
         from dependencies d
         join changed c on c.ecosystem = d.ecosystem
          and lower(regexp_replace(c.name, '[-_.]+', '-', 'g')) = lower(regexp_replace(d.name, '[-_.]+', '-', 'g'))
        where d.snapshot_id = any(?::uuid[])`,
      [...params, `{${keyless.map((row) => row.snapshot_id).join(',')}}`],
    )) as { snapshot_id: string; ecosystem: string; package_name: string; advisory_package: string }[];
    // SQL narrows by a loose name comparison; the domain's key decides.
    for (const row of names)
      if (
        isEcosystem(row.ecosystem) &&
        normalizePackageName(row.ecosystem, row.package_name) === row.advisory_package
      )
        holding.add(row.snapshot_id);
    targets.push(...keyless.filter((row) => holding.has(row.snapshot_id)));
  }
  return targets
    .map((row) => ({
      orgId: row.org_id,
      repoId: row.repo_id,
      owner: row.owner,
      name: row.repo_name,
      snapshotId: row.snapshot_id,
    }))
    .sort((a, b) => a.repoId.localeCompare(b.repoId));
}

interface RematchTargetRow {
  org_id: string;
  repo_id: string;
  owner: string;
  repo_name: string;
  snapshot_id: string;
}

const TARGET_INSERT_BATCH = 500;
// Runs (and their stored targets) are kept this long for inspection, then pruned as new ones begin.
const SYNC_RUN_RETENTION_DAYS = 30;

/**
 * Sync runs in PostgreSQL. A run's watermark is the mirror cursor taken as it began (see
 * `MirrorCursor`): an advisory this run's imports wrote is one that cursor had not seen, whether the
 * import's completion reached the workflow or was lost and the retry found nothing left to write.
 */
export class SqlAdvisorySyncRuns implements AdvisorySyncRuns {
  constructor(private readonly em: EntityManager) {}

  async begin(syncRunId: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const execute = inTransaction(em);
      await execute(`delete from advisory_sync_runs where started_at < now() - (? * interval '1 day')`, [
        SYNC_RUN_RETENTION_DAYS,
      ]);
      await beginRun(execute, syncRunId);
    });
  }

  async collectTargets(syncRunId: string): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      const execute = inTransaction(em);
      // A run that imported nothing has no row yet: begun now, it has seen everything.
      await beginRun(execute, syncRunId);
      const [run] = (await execute(
        `select cursor_xmax, cursor_running, target_count from advisory_sync_runs where id = ? for update`,
        [syncRunId],
      )) as { cursor_xmax: string; cursor_running: string[]; target_count: number | null }[];
      if (run!.target_count !== null) return run!.target_count;
      const targets = await affectedRepositories(
        execute,
        'a.written_xid >= ?::xid8 or a.written_xid = any(?::xid8[])',
        [run!.cursor_xmax, `{${run!.cursor_running.join(',')}}`],
      );
      for (let i = 0; i < targets.length; i += TARGET_INSERT_BATCH) {
        const batch = targets.slice(i, i + TARGET_INSERT_BATCH);
        await execute(
          `insert into advisory_rematch_targets (sync_run_id, seq, org_id, repo_id, owner, name, snapshot_id)
           values ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          batch.flatMap((t, j) => [syncRunId, i + j + 1, t.orgId, t.repoId, t.owner, t.name, t.snapshotId]),
        );
      }
      await execute(
        `update advisory_sync_runs set targets_collected_at = now(), target_count = ? where id = ?`,
        [targets.length, syncRunId],
      );
      return targets.length;
    });
  }

  async targets(syncRunId: string, fromSeq: number, limit: number): Promise<NumberedRematchTarget[]> {
    const rows = (await this.em
      .fork()
      .getConnection()
      .execute(
        `select seq, org_id, repo_id, owner, name, snapshot_id from advisory_rematch_targets
        where sync_run_id = ? and seq >= ? order by seq limit ?`,
        [syncRunId, fromSeq, limit],
      )) as {
      seq: number;
      org_id: string;
      repo_id: string;
      owner: string;
      name: string;
      snapshot_id: string;
    }[];
    return rows.map((row) => ({
      seq: row.seq,
      orgId: row.org_id,
      repoId: row.repo_id,
      owner: row.owner,
      name: row.name,
      snapshotId: row.snapshot_id,
    }));
  }
}

/** Raw statements join the transaction only when handed its context. */
function inTransaction(em: EntityManager): Execute {
  const trx = em.getTransactionContext();
  return (sql, params) => em.getConnection().execute(sql, params, 'all', trx);
}

/** The run's row with the mirror's cursor as of now, unless the run already has one. */
async function beginRun(execute: Execute, syncRunId: string): Promise<void> {
  await execute(
    `insert into advisory_sync_runs (id, cursor_xmax, cursor_running)
     select ?, pg_snapshot_xmax(s)::text, array(select x::text from pg_snapshot_xip(s) x)
       from pg_current_snapshot() s
     on conflict (id) do nothing`,
    [syncRunId],
  );
}
