import type {
  ClaimOptions,
  NewOutboxScanRequest,
  OutboxBacklog,
  OutboxScanRequest,
  ScanRequestOutbox,
} from '@repoguard/domain';

export interface OutboxRow extends Omit<OutboxScanRequest, 'attempts'> {
  attempts: number;
  readonly createdAt: number;
  nextAttemptAt: number;
  relayedAt: number | null;
  lastError: string | null;
}

/**
 * The outbox in memory, on a clock the test moves: claims lease rows as PostgreSQL's does, so a
 * claimed row is not claimed again before its lease ends (there are no locks to skip here).
 */
export class InMemoryScanRequestOutbox implements ScanRequestOutbox {
  readonly rows: OutboxRow[] = [];
  time = 0;

  async enqueue({ id, target, details, routing, holdMs = 0 }: NewOutboxScanRequest): Promise<void> {
    this.rows.push({
      id,
      target,
      details,
      routing,
      attempts: 0,
      createdAt: this.time,
      nextAttemptAt: this.time + holdMs,
      relayedAt: null,
      lastError: null,
    });
  }

  async claim({ taskQueue, limit, leaseMs, ids }: ClaimOptions): Promise<OutboxScanRequest[]> {
    const claimed = this.rows
      .filter((r) => r.relayedAt === null)
      .filter((r) =>
        ids ? ids.includes(r.id) : r.routing.taskQueue === taskQueue && r.nextAttemptAt <= this.time,
      )
      .slice(0, limit);
    for (const row of claimed) row.nextAttemptAt = this.time + leaseMs;
    return claimed.map(({ id, target, details, routing, attempts }) => ({
      id,
      target,
      details,
      routing,
      attempts,
    }));
  }

  async markRelayed(id: string): Promise<void> {
    this.row(id).relayedAt = this.time;
  }

  async reschedule(id: string, error: string, retryInMs: number): Promise<void> {
    const row = this.row(id);
    row.attempts++;
    row.lastError = error;
    row.nextAttemptAt = this.time + retryInMs;
  }

  async release(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.row(id).nextAttemptAt = this.time;
  }

  async backlog(taskQueue: string): Promise<OutboxBacklog> {
    const pending = this.rows.filter((r) => r.relayedAt === null && r.routing.taskQueue === taskQueue);
    return {
      pending: pending.length,
      oldestCreatedAt: pending.length > 0 ? new Date(Math.min(...pending.map((r) => r.createdAt))) : null,
    };
  }

  async pruneRelayed(olderThanMs: number): Promise<number> {
    const before = this.rows.length;
    const kept = this.rows.filter((r) => r.relayedAt === null || r.relayedAt >= this.time - olderThanMs);
    this.rows.splice(0, this.rows.length, ...kept);
    return before - kept.length;
  }

  private row(id: string): OutboxRow {
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw new Error(`no outbox row ${id}`);
    return row;
  }
}
