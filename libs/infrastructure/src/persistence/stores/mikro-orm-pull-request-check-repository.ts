import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type {
  CheckConclusion,
  CheckDelivery,
  NewPullRequestCheck,
  PullRequestCheckRecord,
  PullRequestCheckRepository,
  PullRequestComparison,
  RequestOptions,
} from '@repoguard/domain';
import { PullRequestCheckEntity } from '../entities';

const OPEN = ['queued', 'in_progress'];

// Milliseconds, as a JavaScript Date holds it: the relay and the workflow name a request by it.
const requestedNow = (db: Knex) => db.raw(`date_trunc('milliseconds', now())`);

const recordOf = (e: PullRequestCheckEntity): PullRequestCheckRecord => ({
  id: e.id,
  orgId: e.orgId,
  repoId: e.repoId,
  prNumber: e.prNumber,
  headSha: e.headSha,
  baseRef: e.baseRef,
  baseSha: e.baseSha,
  state: e.state,
  conclusion: e.conclusion,
  delivery: e.delivery,
  checkRunId: e.checkRunId,
  comparison: e.comparison,
  errorCode: e.errorCode,
  requestedBy: e.requestedBy,
  requestedAt: e.requestedAt,
  headAt: e.headAt,
  createdAt: e.createdAt,
  completedAt: e.completedAt,
});

/**
 * `pull_request_checks`. Reads go through the entity manager, so a tenant-scoped unit of work sees
 * only its orgs' checks; writes name the row by id (the caller found it in its scope, or is the
 * worker acting for the workflow that owns it).
 */
export class MikroOrmPullRequestCheckRepository implements PullRequestCheckRepository {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  /** A fresh identity map each read (rows change under the worker), in the caller's transaction. */
  private reader(): EntityManager {
    return this.em.fork({ keepTransactionContext: true, clear: true });
  }

  async request(check: NewPullRequestCheck, options: RequestOptions = {}): Promise<PullRequestCheckRecord> {
    const db = this.db();
    const due = db.raw(`now() + make_interval(secs => ?)`, [(options.relayHoldMs ?? 0) / 1000]);
    // One row per head: a rerequest (or a second delivery for the same head) asks again, whatever
    // the row's state: a check in progress is queued again, and its workflow restarts it.
    const [row] = (await db('pull_request_checks')
      .insert({
        id: check.id,
        org_id: check.orgId,
        repo_id: check.repoId,
        pr_number: check.prNumber,
        head_sha: check.headSha,
        base_ref: check.baseRef,
        base_sha: check.baseSha,
        requested_by: check.requestedBy,
        requested_at: requestedNow(db),
        head_at: requestedNow(db),
        relay_due_at: due,
        task_queue: options.taskQueue ?? null,
      })
      .onConflict(['repo_id', 'pr_number', 'head_sha'])
      .merge({
        state: 'queued',
        base_ref: check.baseRef,
        base_sha: check.baseSha,
        requested_by: check.requestedBy,
        requested_at: requestedNow(db),
        // Only a pull_request delivery makes the head the newest again (a force-push back to it).
        head_at: check.headEvent ? requestedNow(db) : db.raw('pull_request_checks.head_at'),
        relay_due_at: due,
        task_queue: options.taskQueue ?? null,
        updated_at: db.fn.now(),
      })
      .returning('id')) as { id: string }[];
    const stored = await this.get(row!.id);
    return stored!;
  }

  async get(id: string): Promise<PullRequestCheckRecord | null> {
    const found = await this.reader().findOne(PullRequestCheckEntity, { id });
    return found ? recordOf(found) : null;
  }

  async findByCheckRun(repoId: string, checkRunId: string): Promise<PullRequestCheckRecord | null> {
    const found = await this.reader().findOne(PullRequestCheckEntity, { repoId, checkRunId });
    return found ? recordOf(found) : null;
  }

  async listForPullRequest(repoId: string, prNumber: number): Promise<PullRequestCheckRecord[]> {
    const rows = await this.reader().find(
      PullRequestCheckEntity,
      { repoId, prNumber },
      { orderBy: { requestedAt: 'desc', createdAt: 'desc', id: 'desc' }, limit: 100 },
    );
    return rows.map(recordOf);
  }

  async newestHead(repoId: string, prNumber: number): Promise<PullRequestCheckRecord | null> {
    // Ties broken as prScanWorkflow breaks them (requestHeadOrder).
    const found = await this.reader().findOne(
      PullRequestCheckEntity,
      { repoId, prNumber },
      { orderBy: { headAt: 'desc', requestedAt: 'desc', id: 'desc' } },
    );
    return found ? recordOf(found) : null;
  }

  async claimUnrelayed(taskQueue: string, limit: number, leaseMs: number): Promise<PullRequestCheckRecord[]> {
    const db = this.db();
    const ids = db('pull_request_checks')
      .select('id')
      .where({ state: 'queued', task_queue: taskQueue })
      .where('relay_due_at', '<=', db.fn.now())
      .orderBy('relay_due_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = (await db('pull_request_checks')
      .whereIn('id', ids)
      .update({ relay_due_at: db.raw(`now() + make_interval(secs => ?)`, [leaseMs / 1000]) })
      .returning('id')) as { id: string }[];
    if (rows.length === 0) return [];
    const found = await this.reader().find(
      PullRequestCheckEntity,
      { id: { $in: rows.map((r) => r.id) } },
      { orderBy: { requestedAt: 'asc' } },
    );
    return found.map(recordOf);
  }

  async markRelayed(id: string, requestedAt: Date): Promise<void> {
    await this.db()('pull_request_checks')
      .where({ id, requested_at: requestedAt })
      .update({ relay_due_at: null });
  }

  async markInProgress(id: string, requestedAt?: Date): Promise<boolean> {
    const query = this.db()('pull_request_checks').where({ id, state: 'queued' });
    if (requestedAt) query.where({ requested_at: requestedAt });
    // Taken by the workflow: nothing left for the relay to send.
    return (
      (await query.update({ state: 'in_progress', relay_due_at: null, updated_at: this.db().fn.now() })) > 0
    );
  }

  async recordDelivery(id: string, delivery: CheckDelivery, checkRunId: string | null): Promise<void> {
    await this.db()('pull_request_checks').where({ id }).update({
      delivery,
      check_run_id: checkRunId,
      updated_at: this.db().fn.now(),
    });
  }

  async saveComparison(id: string, comparison: PullRequestComparison): Promise<void> {
    await this.db()('pull_request_checks')
      .where({ id })
      .update({ comparison: JSON.stringify(comparison), updated_at: this.db().fn.now() });
  }

  /** The row while it is still open (and, with `requestedAt`, still that request). */
  private open(id: string, requestedAt?: Date): Knex.QueryBuilder {
    const query = this.db()('pull_request_checks').where({ id }).whereIn('state', OPEN);
    return requestedAt ? query.where({ requested_at: requestedAt }) : query;
  }

  async claimStalled(taskQueue: string, stalledMs: number, limit: number): Promise<PullRequestCheckRecord[]> {
    const db = this.db();
    const ids = db('pull_request_checks')
      .select('id')
      .where({ task_queue: taskQueue })
      .whereIn('state', OPEN)
      .whereNull('relay_due_at')
      .where('updated_at', '<', db.raw(`now() - make_interval(secs => ?)`, [stalledMs / 1000]))
      .orderBy('updated_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = (await db('pull_request_checks')
      .whereIn('id', ids)
      .update({ updated_at: db.fn.now() })
      .returning('id')) as { id: string }[];
    if (rows.length === 0) return [];
    const found = await this.reader().find(PullRequestCheckEntity, { id: { $in: rows.map((r) => r.id) } });
    return found.map(recordOf);
  }

  async requeueStalled(id: string, requestedAt: Date): Promise<PullRequestCheckRecord | null> {
    const db = this.db();
    const changed = await this.open(id, requestedAt).update({
      state: 'queued',
      requested_at: requestedNow(db),
      relay_due_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
    return changed > 0 ? this.get(id) : null;
  }

  async complete(
    id: string,
    comparison: PullRequestComparison,
    conclusion: CheckConclusion,
    requestedAt?: Date,
  ): Promise<void> {
    const db = this.db();
    await this.open(id, requestedAt).update({
      state: 'completed',
      comparison: JSON.stringify(comparison),
      conclusion,
      error_code: null,
      completed_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
  }

  async supersede(id: string, requestedAt?: Date): Promise<void> {
    const db = this.db();
    await this.open(id, requestedAt).update({
      state: 'superseded',
      relay_due_at: null,
      completed_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
  }

  async fail(id: string, errorCode: string, requestedAt?: Date): Promise<void> {
    const db = this.db();
    await this.open(id, requestedAt).update({
      state: 'failed',
      error_code: errorCode.slice(0, 64),
      // As published: a check that could not be done fails (render-failed-pull-request-check).
      conclusion: 'failure',
      relay_due_at: null,
      completed_at: db.fn.now(),
      updated_at: db.fn.now(),
    });
  }
}
