import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type {
  ClaimOptions,
  NewOutboxScanRequest,
  OutboxBacklog,
  OutboxHold,
  OutboxRequestStatus,
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
  // bigint: a string, as the driver has it.
  readonly seq: string | number;
  readonly claims: number;
  // A string or a Date, as the driver's type parsers have it.
  readonly created_at: Date | string;
}

interface StatusRow {
  readonly id: string;
  readonly org_id: string;
  readonly repo_id: string;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly scan_id: string | null;
  readonly created_at: Date | string;
  readonly relayed_at: Date | string | null;
  readonly gave_up_at: Date | string | null;
}

const dateOf = (value: Date | string | null) => (value === null ? null : new Date(value));

// How far past its batch a claim ranks: room for this many relays polling at once.
const RANKED_PER_CLAIMED = 8;

const afterMs = (knex: Knex, ms: number) => knex.raw(`now() + (? * interval '1 millisecond')`, [ms]);

/** Each org's oldest first, then each org's second, and so on: one org's flood waits behind itself. */
function inTurns(rows: readonly OutboxRow[]): OutboxRow[] {
  const bySeq = [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
  const turns = new Map<string, number>();
  const turnOf = new Map<string, number>();
  for (const row of bySeq) {
    const turn = turns.get(row.org_id) ?? 0;
    turns.set(row.org_id, turn + 1);
    turnOf.set(row.id, turn);
  }
  return bySeq.sort((a, b) => turnOf.get(a.id)! - turnOf.get(b.id)! || Number(a.seq) - Number(b.seq));
}

export class MikroOrmScanRequestOutbox implements ScanRequestOutbox {
  constructor(private readonly em: EntityManager) {}

  /** The unit of work's transaction when there is one, so an enqueue commits with its cause. */
  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  async enqueue({ id, target, details, routing, holdMs = 0 }: NewOutboxScanRequest): Promise<boolean> {
    const stored: StoredRequest = { owner: target.owner, name: target.name, details, routing };
    // The repository's row is held while the request is written: a disconnect committing first
    // refuses it (REPO_DISCONNECTED) instead of a foreign-key error.
    return writeForConnectedRepo(this.em, target.repoId, async (trx) => {
      // A caller with a deterministic id (a re-match retried) finds its first request held.
      const inserted = (await trx(TABLE)
        .insert({
          id,
          org_id: target.orgId,
          repo_id: target.repoId,
          task_queue: routing.taskQueue,
          delivery_id: details.deliveryId ?? null,
          request: JSON.stringify(stored),
          next_attempt_at: afterMs(trx, holdMs),
        })
        .onConflict('id')
        .ignore()
        .returning('id')) as unknown[];
      return inserted.length > 0;
    });
  }

  async claim({ taskQueue, limit, leaseMs, ids }: ClaimOptions): Promise<OutboxScanRequest[]> {
    if (ids && ids.length === 0) return [];
    const knex = this.db();
    // SKIP LOCKED lets relays in other processes take other rows instead of waiting; the row's
    // conditions are checked again as it is when locked, so one another relay leased meanwhile is
    // left alone.
    const named = (ids: readonly string[]) =>
      knex(TABLE)
        .select('id')
        .whereNull('relayed_at')
        .whereNull('gave_up_at')
        .whereIn('id', [...ids])
        .orderBy('seq')
        .limit(limit)
        .forUpdate()
        .skipLocked();
    // The orgs in turn: each org's waiting rows numbered oldest first, taken by that number. A
    // window function cannot share a level with FOR UPDATE, so the rows are ranked below and
    // locked above; the ranking reaches past the batch so that relays polling at once, each
    // skipping the others' rows, still fill their batches.
    const due = () =>
      knex.raw(
        `select o.id from ${TABLE} o
             join (select id, seq, row_number() over (partition by org_id order by seq) as turn
                     from ${TABLE}
                    where task_queue = ? and relayed_at is null and gave_up_at is null
                      and next_attempt_at <= now()
                    order by turn, seq
                    limit ?) due on due.id = o.id
            where o.relayed_at is null and o.gave_up_at is null and o.next_attempt_at <= now()
            order by due.turn, due.seq
            limit ?
              for update of o skip locked`,
        [taskQueue, limit * RANKED_PER_CLAIMED, limit],
      );
    const rows = (await (
      ids ? knex(TABLE).whereIn('id', named(ids)) : knex(TABLE).whereRaw('id in (?)', [due()])
    )
      .update({ next_attempt_at: afterMs(knex, leaseMs), claims: knex.raw('claims + 1') })
      .returning([
        'id',
        'org_id',
        'repo_id',
        'request',
        'attempts',
        'seq',
        'claims',
        'created_at',
      ])) as OutboxRow[];
    return inTurns(rows).map((row) => ({
      id: row.id,
      target: { orgId: row.org_id, repoId: row.repo_id, owner: row.request.owner, name: row.request.name },
      details: row.request.details,
      routing: row.request.routing,
      attempts: row.attempts,
      sequence: Number(row.seq),
      claim: row.claims,
      createdAt: new Date(row.created_at),
    }));
  }

  async hold(id: string, claim: number, leaseMs: number): Promise<OutboxHold> {
    const knex = this.db();
    // One statement: renewed only while this claim is the latest, and the repository read as it
    // is now (a disable after the request was made must stop it).
    const result = await knex.raw<{ rows: { disabled_at: Date | string | null }[] }>(
      `update ${TABLE} o set next_attempt_at = now() + (? * interval '1 millisecond')
         from repositories r
        where o.id = ? and o.claims = ? and o.relayed_at is null and o.gave_up_at is null
          and r.id = o.repo_id
       returning r.disabled_at`,
      [leaseMs, id, claim],
    );
    const row = result.rows[0];
    if (!row) return 'taken';
    return row.disabled_at === null ? 'held' : 'repo_disabled';
  }

  async markRelayed(id: string): Promise<void> {
    const knex = this.db();
    await knex(TABLE).where({ id }).update({ relayed_at: knex.fn.now(), last_error: null });
  }

  async reschedule(id: string, error: string, retryInMs: number): Promise<void> {
    const knex = this.db();
    await this.countRefusal(id, error, { next_attempt_at: afterMs(knex, retryInMs) });
  }

  async giveUp(id: string, error: string): Promise<void> {
    await this.countRefusal(id, error, { gave_up_at: this.db().fn.now() });
  }

  /** One more refused attempt on a row still waiting, with what becomes of it. */
  private async countRefusal(id: string, error: string, then: Record<string, unknown>): Promise<void> {
    const knex = this.db();
    await knex(TABLE)
      .where({ id })
      .whereNull('relayed_at')
      .whereNull('gave_up_at')
      .update({
        attempts: knex.raw('attempts + 1'),
        // An error text comes from the engine's client: kept short, it is a hint for operators.
        last_error: error.slice(0, 2_000),
        ...then,
      });
  }

  async recordScan(id: string, scanId: string): Promise<void> {
    await this.db()(TABLE).where({ id }).update({ scan_id: scanId });
  }

  async status(repoId: string, id: string): Promise<OutboxRequestStatus | null> {
    const row = (await this.db()(TABLE)
      .where({ id, repo_id: repoId })
      .first(
        'id',
        'org_id',
        'repo_id',
        'attempts',
        'last_error',
        'scan_id',
        'created_at',
        'relayed_at',
        'gave_up_at',
      )) as StatusRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      orgId: row.org_id,
      repoId: row.repo_id,
      state: row.relayed_at !== null ? 'relayed' : row.gave_up_at !== null ? 'gave_up' : 'pending',
      attempts: row.attempts,
      lastError: row.last_error,
      scanId: row.scan_id,
      createdAt: new Date(row.created_at),
      relayedAt: dateOf(row.relayed_at),
      gaveUpAt: dateOf(row.gave_up_at),
    };
  }

  async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const knex = this.db();
    await knex(TABLE)
      .whereIn('id', [...ids])
      .whereNull('relayed_at')
      .whereNull('gave_up_at')
      .update({ next_attempt_at: knex.fn.now() });
  }

  async backlog(taskQueue: string): Promise<OutboxBacklog> {
    const knex = this.db();
    const row = (await knex(TABLE)
      .where('task_queue', taskQueue)
      .whereNull('relayed_at')
      .first(
        knex.raw('(count(*) filter (where gave_up_at is null))::int as pending'),
        knex.raw('min(created_at) filter (where gave_up_at is null) as oldest'),
        knex.raw('(count(*) filter (where gave_up_at is not null))::int as gave_up'),
      )) as { pending: number; oldest: Date | string | null; gave_up: number } | undefined;
    return {
      pending: row?.pending ?? 0,
      // The driver may hand a timestamp over as text: the gauge needs a Date.
      oldestCreatedAt: dateOf(row?.oldest ?? null),
      gaveUp: row?.gave_up ?? 0,
    };
  }

  async pruneRelayed(olderThanMs: number): Promise<number> {
    const knex = this.db();
    const cutoff = `now() - (? * interval '1 millisecond')`;
    return knex(TABLE)
      .whereRaw(`relayed_at < ${cutoff} or gave_up_at < ${cutoff}`, [olderThanMs, olderThanMs])
      .delete();
  }
}
