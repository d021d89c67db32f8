import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type {
  ClaimOptions,
  NewOutboxScanRequest,
  OutboxBacklog,
  OutboxScanRequest,
  ScanRequestDetails,
  ScanRequestOutbox,
  ScanRouting,
} from '@repoguard/domain';
import { writeForConnectedRepo } from '../repositories/connected-repo-guard';

const TABLE = 'scan_request_outbox';

/** What the `request` column holds besides the org and repository ids. */
interface StoredRequest {
  readonly owner: string;
  readonly name: string;
  readonly details: ScanRequestDetails;
  readonly routing: ScanRouting & { readonly taskQueue: string };
}

interface OutboxRow {
  readonly id: string;
  readonly org_id: string;
  readonly repo_id: string;
  readonly request: StoredRequest;
  readonly attempts: number;
  // A string or a Date, as the driver's type parsers have it.
  readonly created_at: Date | string;
}

const timeOf = (value: Date | string) => new Date(value).getTime();

const afterMs = (knex: Knex, ms: number) => knex.raw(`now() + (? * interval '1 millisecond')`, [ms]);

export class MikroOrmScanRequestOutbox implements ScanRequestOutbox {
  constructor(private readonly em: EntityManager) {}

  /** The unit of work's transaction when there is one, so an enqueue commits with its cause. */
  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  async enqueue({ id, target, details, routing, holdMs = 0 }: NewOutboxScanRequest): Promise<void> {
    const stored: StoredRequest = { owner: target.owner, name: target.name, details, routing };
    // The repository's row is held while the request is written: a disconnect committing first
    // refuses it (REPO_DISCONNECTED) instead of a foreign-key error.
    await writeForConnectedRepo(this.em, target.repoId, async (trx) => {
      await trx(TABLE).insert({
        id,
        org_id: target.orgId,
        repo_id: target.repoId,
        task_queue: routing.taskQueue,
        delivery_id: details.deliveryId ?? null,
        request: JSON.stringify(stored),
        next_attempt_at: afterMs(trx, holdMs),
      });
    });
  }

  async claim({ taskQueue, limit, leaseMs, ids }: ClaimOptions): Promise<OutboxScanRequest[]> {
    if (ids && ids.length === 0) return [];
    const knex = this.db();
    // One statement: the rows are locked, leased and returned at once, and SKIP LOCKED lets
    // relays in other processes take other rows instead of waiting.
    const candidates = knex(TABLE).select('id').whereNull('relayed_at');
    const pick = (
      ids
        ? candidates.whereIn('id', [...ids])
        : candidates.where('task_queue', taskQueue).where('next_attempt_at', '<=', knex.fn.now())
    )
      .orderBy('created_at', 'asc')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = (await knex(TABLE)
      .whereIn('id', pick)
      .update({ next_attempt_at: afterMs(knex, leaseMs) })
      .returning(['id', 'org_id', 'repo_id', 'request', 'attempts', 'created_at'])) as OutboxRow[];
    return rows
      .sort((a, b) => timeOf(a.created_at) - timeOf(b.created_at) || a.id.localeCompare(b.id))
      .map((row) => ({
        id: row.id,
        target: { orgId: row.org_id, repoId: row.repo_id, owner: row.request.owner, name: row.request.name },
        details: row.request.details,
        routing: row.request.routing,
        attempts: row.attempts,
      }));
  }

  async markRelayed(id: string): Promise<void> {
    const knex = this.db();
    await knex(TABLE).where({ id }).update({ relayed_at: knex.fn.now(), last_error: null });
  }

  async reschedule(id: string, error: string, retryInMs: number): Promise<void> {
    const knex = this.db();
    await knex(TABLE)
      .where({ id })
      .whereNull('relayed_at')
      .update({
        attempts: knex.raw('attempts + 1'),
        // An error text comes from the engine's client: kept short, it is a hint for operators.
        last_error: error.slice(0, 2_000),
        next_attempt_at: afterMs(knex, retryInMs),
      });
  }

  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const knex = this.db();
    await knex(TABLE)
      .whereIn('id', [...ids])
      .whereNull('relayed_at')
      .update({ next_attempt_at: knex.fn.now() });
  }

  async backlog(taskQueue: string): Promise<OutboxBacklog> {
    const knex = this.db();
    const row = (await knex(TABLE)
      .where('task_queue', taskQueue)
      .whereNull('relayed_at')
      .first(knex.raw('count(*)::int as pending'), knex.raw('min(created_at) as oldest'))) as
      { pending: number; oldest: Date | null } | undefined;
    return { pending: row?.pending ?? 0, oldestCreatedAt: row?.oldest ?? null };
  }

  async pruneRelayed(olderThanMs: number): Promise<number> {
    const knex = this.db();
    return knex(TABLE)
      .whereNotNull('relayed_at')
      .where('relayed_at', '<', knex.raw(`now() - (? * interval '1 millisecond')`, [olderThanMs]))
      .delete();
  }
}
