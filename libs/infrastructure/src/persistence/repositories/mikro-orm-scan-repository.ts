import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  FINAL_SCAN_STATUSES,
  isEcosystem,
  type Ecosystem,
  isSeverity,
  judgedFindingsKey,
  reasonsForEvent,
  repoDisplayName,
  repoStatusAfterScan,
  type PolicyReason,
  type ScanCloseOutcome,
  type ScanEvaluationRecord,
  type PolicyStatus,
  type RepoStatus,
  type ScanRecordQueued,
  type ScanRecordStart,
  type ScanRepository,
  type UnfinishedScan,
  type VerdictBasis,
} from '@repoguard/domain';
import { writeForConnectedRepo } from './connected-repo-guard';
import { writeNotificationEvents } from '../stores/notification-event-writer';
import { holdScanOutcome, NEWEST_FIRST, newerScanThan } from './scan-outcome-lock';

/**
 * The scan's repository is still connected: a step's progress is not written once it is gone (its
 * outcome is, by `fail`, so the row ends final).
 */
const connected = (knex: Knex) =>
  knex('repositories').select(knex.raw('1')).whereRaw('repositories.id = scans.repo_id');

/** The one column list of a new scan row, whoever writes it first (the requester or the worker). */
const queuedRow = (scan: ScanRecordQueued) => ({
  id: scan.scanId,
  org_id: scan.orgId,
  repo_id: scan.repoId,
  workflow_id: scan.workflowId,
  run_id: scan.runId,
  promised_by_run_id: scan.runId === null ? (scan.promisedByRunId ?? null) : null,
  trigger: scan.trigger,
  requested_by: scan.requestedBy,
  ref: scan.ref,
  status: 'QUEUED',
  phase_timings: JSON.stringify({}),
  counts: JSON.stringify({}),
});

/**
 * A scan's start, from the database: its time and its place in `scans_start_seq`, which orders
 * scans however far apart the clocks of the workers that started them are.
 */
const startedNow = (knex: Knex) => ({
  started_at: knex.raw('clock_timestamp()'),
  start_seq: knex.raw(`nextval('scans_start_seq')`),
});

/**
 * A scan's outcome for its repository's status, with `repo.status_changed` (cause `scan`) when the
 * status moves; on the caller's transaction, which holds the repository's scan-outcome lock.
 * Nothing when the repository is gone.
 */
async function setStatusAfterScan(
  trx: Knex.Transaction,
  scan: { scanId: string; repoId: string },
  outcome: { policyStatus: PolicyStatus } | { failed: true },
  reasons: readonly PolicyReason[],
  update: Record<string, unknown>,
): Promise<void> {
  // Read under the scan-outcome lock the caller holds, as every writer of the status does (no row
  // lock: FOR UPDATE would wait on the FOR KEY SHARE of a sync that waits on this lock).
  const repo = (await trx('repositories')
    .where({ id: scan.repoId })
    .first('status', 'org_id', 'owner', 'name')) as
    { status: RepoStatus; org_id: string; owner: string; name: string } | undefined;
  if (!repo) return; // disconnected while scanning: nothing to update
  const status = repoStatusAfterScan(repo.status, outcome);
  await trx('repositories')
    .where({ id: scan.repoId })
    .update({ status, ...update });
  if (status === repo.status) return;
  await writeNotificationEvents(trx, [
    {
      type: 'repo.status_changed',
      org_id: repo.org_id,
      repo_id: scan.repoId,
      repo_name: repoDisplayName(repo),
      severity: null,
      group_key: scan.scanId,
      scan_id: scan.scanId,
      payload: {
        old_status: repo.status,
        new_status: status,
        reasons: reasonsForEvent(reasons),
        cause: 'scan',
      },
    },
  ]);
}

/** `scan.failed` for a row that has just become FAILED. */
async function recordScanFailed(
  trx: Knex.Transaction,
  row: { id: string; org_id: string; repo_id: string },
  code: string,
  message: string,
): Promise<void> {
  const repo = (await trx('repositories').where({ id: row.repo_id }).first('owner', 'name')) as
    { owner: string; name: string } | undefined;
  await writeNotificationEvents(trx, [
    {
      type: 'scan.failed',
      org_id: row.org_id,
      repo_id: repo ? row.repo_id : null,
      repo_name: repo ? repoDisplayName(repo) : null,
      severity: null,
      group_key: row.id,
      scan_id: row.id,
      payload: { scan_id: row.id, code, message: message.slice(0, 2000) },
    },
  ]);
}

/** The org's policy and the repository's findings are still those a verdict was judged on. */
async function stillJudgedOn(
  trx: Knex.Transaction,
  repoId: string,
  orgId: string,
  judgedOn: VerdictBasis,
): Promise<boolean> {
  const policy = (await trx('policies').where({ org_id: orgId }).max('version as version').first()) as
    { version: number | null } | undefined;
  if ((policy?.version ?? null) !== judgedOn.policyVersion) return false;
  const rows = (await trx('findings')
    .where({ repo_id: repoId })
    .whereIn('status', ['open', 'ignored'])
    .select(
      'ecosystem',
      'package_name',
      'version',
      'manifest_path',
      'vulnerability_id',
      'severity',
      'status',
      'triage_expires_at',
    )) as {
    ecosystem: string;
    package_name: string;
    version: string;
    manifest_path: string;
    vulnerability_id: string;
    severity: string;
    status: 'open' | 'ignored';
    // MikroORM's pg connection hands timestamps back to plain queries as text.
    triage_expires_at: string | Date | null;
  }[];
  // The same rows as `currentFindings` hands the judge.
  const now = rows
    .filter((r) => isEcosystem(r.ecosystem) && isSeverity(r.severity))
    .map((r) => ({
      ecosystem: r.ecosystem as Ecosystem,
      packageName: r.package_name,
      version: r.version,
      manifestPath: r.manifest_path,
      vulnerabilityId: r.vulnerability_id,
      status: r.status,
      triageExpiresAt: r.triage_expires_at === null ? null : new Date(r.triage_expires_at),
    }));
  return judgedFindingsKey(now) === judgedFindingsKey(judgedOn.findings);
}

export class MikroOrmScanRepository implements ScanRepository {
  constructor(private readonly em: EntityManager) {}

  private knex() {
    return this.em.fork().getKnex();
  }

  /** On the unit of work's transaction when there is one: the request's audit row commits with it. */
  async queue(scan: ScanRecordQueued): Promise<boolean> {
    return writeForConnectedRepo(this.em, scan.repoId, async (trx) => {
      const inserted = (await trx('scans')
        .insert(queuedRow(scan))
        .onConflict('id')
        .ignore()
        .returning('id')) as unknown[];
      return inserted.length > 0;
    });
  }

  async start(scan: ScanRecordStart): Promise<void> {
    await writeForConnectedRepo(this.em.fork(), scan.repoId, async (trx) => {
      await trx('scans')
        .insert({ ...queuedRow(scan), ...startedNow(trx) })
        // The API may have queued the row already (it has no run id when a follow-up run serves the
        // request); a retry finds it started and keeps its first start time and place.
        .onConflict('id')
        .merge({
          run_id: scan.runId,
          trigger: scan.trigger,
          requested_by: scan.requestedBy,
          ref: scan.ref,
          started_at: trx.raw('coalesce(scans.started_at, excluded.started_at)'),
          // Only with a first start: a row started before start_seq existed keeps none, and is
          // ordered by its start time (`newerScanThan`), not placed after every later start.
          start_seq: trx.raw(
            'case when scans.started_at is null then excluded.start_seq else scans.start_seq end',
          ),
        });
    });
  }

  async phase(
    scanId: string,
    phase: string,
    update: { commitSha?: string; snapshotId?: string } = {},
  ): Promise<void> {
    const knex = this.knex();
    await knex('scans')
      .where({ id: scanId })
      .whereNotIn('status', FINAL_SCAN_STATUSES)
      .whereExists(connected(knex))
      .update({
        status: phase,
        ...(update.commitSha ? { commit_sha: update.commitSha } : {}),
        ...(update.snapshotId ? { snapshot_id: update.snapshotId } : {}),
      });
  }

  async recordPhase(
    scanId: string,
    phase: string,
    durationMs: number,
    counts: Record<string, number> = {},
  ): Promise<void> {
    const knex = this.knex();
    await knex('scans')
      .where({ id: scanId })
      .whereExists(connected(knex))
      .update({
        phase_timings: knex.raw(`phase_timings || ?::jsonb`, [JSON.stringify({ [phase]: durationMs })]),
        counts: knex.raw(`counts || ?::jsonb`, [JSON.stringify(counts)]),
      });
  }

  async complete(scanId: string, now: Date): Promise<void> {
    await this.knex()('scans').where({ id: scanId }).update({ status: 'COMPLETED', completed_at: now });
  }

  async completeUnlessSuperseded(
    scanId: string,
    repoId: string,
    policyStatus: PolicyStatus,
    now: Date,
    reevaluateAt: Date | null = null,
    judgedOn?: VerdictBasis,
    reasons: readonly PolicyReason[] = [],
  ): Promise<{ supersededBy: string | null }> {
    return this.em.getKnex().transaction(async (trx) => {
      await holdScanOutcome(trx, repoId);
      const newer = await newerScanThan(trx, scanId);
      if (newer) {
        await trx('scans')
          .where({ id: scanId })
          .whereNotIn('status', FINAL_SCAN_STATUSES)
          .update({ status: 'SUPERSEDED', completed_at: now });
        return { supersededBy: newer };
      }
      // A row closed meanwhile (its workflow let it go for a push) stays closed, its verdict unsaid.
      const completed = (await trx('scans')
        .where({ id: scanId })
        .whereNotIn('status', FINAL_SCAN_STATUSES)
        .update({ status: 'COMPLETED', completed_at: now })
        .returning('id')) as unknown[];
      if (completed.length === 0) return { supersededBy: null };
      const repo = (await trx('repositories').where({ id: repoId }).first('org_id')) as
        { org_id: string } | undefined;
      if (repo) {
        // The verdict was judged outside this lock: a triage decision or a policy change that
        // committed since judged the repository on what this verdict now overwrites. Stored all the
        // same (it is this scan's), but due at once so the sweep judges it on what holds now.
        const stale = judgedOn !== undefined && !(await stillJudgedOn(trx, repoId, repo.org_id, judgedOn));
        const due = stale ? now : reevaluateAt;
        await setStatusAfterScan(trx, { scanId, repoId }, { policyStatus }, reasons, {
          // An earlier time stored meanwhile (a policy change marked it due) stands; least()
          // passes over nulls, and null (never) stays only if both are.
          status_reevaluate_at: trx.raw('least(status_reevaluate_at, ?::timestamptz)', [due]),
          last_scan_at: now,
        });
      }
      return { supersededBy: null };
    });
  }

  async supersede(scanId: string, now: Date): Promise<void> {
    await this.knex()('scans')
      .where({ id: scanId })
      .whereNotIn('status', FINAL_SCAN_STATUSES)
      .update({ status: 'SUPERSEDED', completed_at: now });
  }

  async newerScanThan(scanId: string): Promise<string | null> {
    return newerScanThan(this.knex(), scanId);
  }

  async close(scan: ScanRecordStart, outcome: ScanCloseOutcome, now: Date): Promise<void> {
    const closed = {
      status: outcome.status,
      completed_at: now,
      ...(outcome.status === 'FAILED'
        ? { error_code: outcome.code, error_message: outcome.message.slice(0, 2000) }
        : {}),
    };
    await writeForConnectedRepo(this.em.fork(), scan.repoId, async (trx) => {
      // Inserted when no step opened the row yet: a step still in flight then finds it final
      // (its start merges, its phase updates skip final rows) and it never hangs unfinished.
      const result = await trx.raw(
        `${trx('scans')
          .insert({ ...queuedRow(scan), ...closed, ...startedNow(trx) })
          .toQuery()} on conflict (id) do update set status = excluded.status,
             completed_at = excluded.completed_at, error_code = excluded.error_code,
             error_message = excluded.error_message
           where scans.status not in (${FINAL_SCAN_STATUSES.map((st) => `'${st}'`).join(', ')})
           returning id, org_id, repo_id`,
      );
      const closedNow = (result.rows as { id: string; org_id: string; repo_id: string }[])[0];
      // Only a row that became final here: a retry, or a row another step closed, tells of nothing.
      if (closedNow && outcome.status === 'FAILED') {
        await recordScanFailed(trx, closedNow, outcome.code, outcome.message);
      }
    });
  }

  async latestCompletedSnapshot(
    repoId: string,
    only?: { readonly defaultBranch: string; readonly commitSha?: string },
  ): Promise<{ snapshotId: string; commitSha: string; scanId: string } | null> {
    const query = this.knex()('scans as s')
      .join('dependency_snapshots as d', 'd.id', 's.snapshot_id')
      .where({ 's.repo_id': repoId, 's.status': 'COMPLETED' });
    if (only) {
      // No ref: the default branch (schedules, advisories, the API without one); a push names it in full.
      const branch = only.defaultBranch;
      void query.whereRaw('(s.ref is null or s.ref in (?, ?))', [branch, `refs/heads/${branch}`]);
      if (only.commitSha !== undefined) void query.where('d.commit_sha', only.commitSha);
    }
    const row = (await query.orderByRaw(NEWEST_FIRST('s')).first('s.id', 's.snapshot_id', 'd.commit_sha')) as
      { id: string; snapshot_id: string; commit_sha: string } | undefined;
    return row ? { snapshotId: row.snapshot_id, commitSha: row.commit_sha, scanId: row.id } : null;
  }

  async fail(scanId: string, code: string, message: string, now: Date): Promise<void> {
    await this.em.getKnex().transaction((trx) => failScan(trx, scanId, code, message, now));
  }

  async recordFailure(
    scan: { readonly scanId: string; readonly repoId: string },
    code: string,
    message: string,
    now: Date,
  ): Promise<void> {
    await this.em.getKnex().transaction(async (trx) => {
      // Before the scan's row, as a completion takes them: the two never wait on each other.
      await holdScanOutcome(trx, scan.repoId);
      await failScan(trx, scan.scanId, code, message, now);
      await setStatusAfterScan(trx, scan, { failed: true }, [], { last_scan_at: now });
    });
  }

  async saveEvaluation(input: ScanEvaluationRecord): Promise<void> {
    await writeForConnectedRepo(this.em.fork(), input.repoId, async (trx) => {
      await trx('policy_evaluations')
        .insert({
          id: randomUUID(),
          org_id: input.orgId,
          repo_id: input.repoId,
          snapshot_id: input.snapshotId,
          scan_id: input.scanId,
          policy_version: input.policyVersion,
          status: input.status,
          reasons: JSON.stringify(input.reasons),
        })
        // A retried evaluatePolicy: the verdict its first attempt stored stands.
        .onConflict('scan_id')
        .ignore();
    });
  }

  async unfinished(
    createdBefore: Date,
    limit: number,
    after?: { readonly createdAt: Date; readonly scanId: string },
  ): Promise<UnfinishedScan[]> {
    const knex = this.knex();
    const rows = (await knex('scans')
      .whereNotIn('status', FINAL_SCAN_STATUSES)
      .where('created_at', '<', createdBefore)
      .modify((query) => {
        if (after) query.whereRaw('(created_at, id) > (?, ?)', [after.createdAt, after.scanId]);
      })
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit)
      .select('id', 'repo_id', 'workflow_id', 'run_id', 'promised_by_run_id', 'created_at')) as {
      id: string;
      repo_id: string;
      workflow_id: string;
      run_id: string | null;
      promised_by_run_id: string | null;
      created_at: Date;
    }[];
    return rows.map((row) => ({
      scanId: row.id,
      repoId: row.repo_id,
      workflowId: row.workflow_id,
      runId: row.run_id,
      promisedByRunId: row.promised_by_run_id,
      createdAt: row.created_at,
    }));
  }

  async abandon(scanId: string, code: string, message: string, now: Date): Promise<boolean> {
    return this.em.getKnex().transaction(async (trx) => {
      // Conditional: an outcome recorded meanwhile (a late step of the run) is never overwritten.
      const updated = (await trx('scans')
        .where({ id: scanId })
        .whereNotIn('status', FINAL_SCAN_STATUSES)
        .update(
          { status: 'FAILED', error_code: code, error_message: message.slice(0, 2000), completed_at: now },
          ['id', 'org_id', 'repo_id'],
        )) as { id: string; org_id: string; repo_id: string }[];
      for (const row of updated) await recordScanFailed(trx, row, code, message);
      return updated.length > 0;
    });
  }
}

/**
 * The row FAILED with its code, and `scan.failed` the first time it becomes FAILED: the row is
 * locked first, so a retry (or the reconciler's abandon) sees the failure and tells of it once.
 */
async function failScan(
  trx: Knex.Transaction,
  scanId: string,
  code: string,
  message: string,
  now: Date,
): Promise<void> {
  const row = (await trx('scans')
    .where({ id: scanId })
    .forUpdate()
    .first('id', 'org_id', 'repo_id', 'status')) as
    { id: string; org_id: string; repo_id: string; status: string } | undefined;
  if (!row) return;
  await trx('scans')
    .where({ id: scanId })
    .update({ status: 'FAILED', error_code: code, error_message: message.slice(0, 2000), completed_at: now });
  if (row.status !== 'FAILED') await recordScanFailed(trx, row, code, message);
}
