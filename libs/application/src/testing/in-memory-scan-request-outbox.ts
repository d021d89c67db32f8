import type {
  ClaimOptions,
  NewOutboxScanRequest,
  OutboxBacklog,
  OutboxHold,
  OutboxRequestStatus,
  OutboxScanRequest,
  ScanRequestOutbox,
} from '@repoguard/domain';

export interface OutboxRow extends Omit<OutboxScanRequest, 'attempts' | 'claim' | 'createdAt'> {
  attempts: number;
  claim: number;
  readonly createdAt: number;
  nextAttemptAt: number;
  relayedAt: number | null;
  gaveUpAt: number | null;
  lastError: string | null;
  scanId: string | null;
}

/**
 * The outbox in memory, on a clock the test moves: claims lease rows as PostgreSQL's does, so a
 * claimed row is not claimed again before its lease ends (there are no locks to skip here), and
 * hand them out the orgs in turn. Repositories the test lists in `disabledRepos` read as disabled.
 */
export class InMemoryScanRequestOutbox implements ScanRequestOutbox {
  readonly rows: OutboxRow[] = [];
  readonly disabledRepos = new Set<string>();
  time = 0;
  private sequence = 0;

  async enqueue({ id, target, details, routing, holdMs = 0 }: NewOutboxScanRequest): Promise<boolean> {
    if (this.rows.some((row) => row.id === id)) return false;
    this.rows.push({
      id,
      target,
      details,
      routing,
      attempts: 0,
      sequence: ++this.sequence,
      claim: 0,
      createdAt: this.time,
      nextAttemptAt: this.time + holdMs,
      relayedAt: null,
      gaveUpAt: null,
      lastError: null,
      scanId: null,
    });
    return true;
  }

  async claim({ taskQueue, limit, leaseMs, ids }: ClaimOptions): Promise<OutboxScanRequest[]> {
    const due = this.rows
      .filter((r) => this.waiting(r))
      .filter((r) =>
        ids ? ids.includes(r.id) : r.routing.taskQueue === taskQueue && r.nextAttemptAt <= this.time,
      )
      .sort((a, b) => a.sequence - b.sequence);
    const turns = new Map<string, number>();
    const turnOf = new Map<OutboxRow, number>();
    for (const row of due) {
      const turn = turns.get(row.target.orgId) ?? 0;
      turns.set(row.target.orgId, turn + 1);
      turnOf.set(row, turn);
    }
    const claimed = (
      ids ? due : due.sort((a, b) => turnOf.get(a)! - turnOf.get(b)! || a.sequence - b.sequence)
    ).slice(0, limit);
    for (const row of claimed) {
      row.nextAttemptAt = this.time + leaseMs;
      row.claim++;
    }
    return claimed.map(({ id, target, details, routing, attempts, sequence, claim, createdAt }) => ({
      id,
      target,
      details,
      routing,
      attempts,
      sequence,
      claim,
      createdAt: new Date(createdAt),
    }));
  }

  async hold(id: string, claim: number, leaseMs: number): Promise<OutboxHold> {
    const row = this.rows.find((r) => r.id === id);
    if (!row || !this.waiting(row) || row.claim !== claim) return 'taken';
    row.nextAttemptAt = this.time + leaseMs;
    return this.disabledRepos.has(row.target.repoId) ? 'repo_disabled' : 'held';
  }

  async markRelayed(id: string): Promise<void> {
    this.row(id).relayedAt = this.time;
  }

  async reschedule(id: string, error: string, retryInMs: number): Promise<void> {
    const row = this.row(id);
    if (!this.waiting(row)) return;
    row.attempts++;
    row.lastError = error;
    row.nextAttemptAt = this.time + retryInMs;
  }

  async giveUp(id: string, error: string): Promise<void> {
    const row = this.row(id);
    if (!this.waiting(row)) return;
    row.attempts++;
    row.lastError = error;
    row.gaveUpAt = this.time;
  }

  async recordScan(id: string, scanId: string): Promise<void> {
    this.row(id).scanId = scanId;
  }

  async status(repoId: string, id: string): Promise<OutboxRequestStatus | null> {
    const row = this.rows.find((r) => r.id === id && r.target.repoId === repoId);
    if (!row) return null;
    return {
      id: row.id,
      orgId: row.target.orgId,
      repoId: row.target.repoId,
      state: row.relayedAt !== null ? 'relayed' : row.gaveUpAt !== null ? 'gave_up' : 'pending',
      attempts: row.attempts,
      lastError: row.lastError,
      scanId: row.scanId,
      createdAt: new Date(row.createdAt),
      relayedAt: row.relayedAt === null ? null : new Date(row.relayedAt),
      gaveUpAt: row.gaveUpAt === null ? null : new Date(row.gaveUpAt),
    };
  }

  async release(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const row = this.row(id);
      if (this.waiting(row)) row.nextAttemptAt = this.time;
    }
  }

  async backlog(taskQueue: string): Promise<OutboxBacklog> {
    const ours = this.rows.filter((r) => r.relayedAt === null && r.routing.taskQueue === taskQueue);
    const pending = ours.filter((r) => r.gaveUpAt === null);
    return {
      pending: pending.length,
      oldestCreatedAt: pending.length > 0 ? new Date(Math.min(...pending.map((r) => r.createdAt))) : null,
      gaveUp: ours.length - pending.length,
    };
  }

  async pruneRelayed(olderThanMs: number): Promise<number> {
    const before = this.rows.length;
    const cutoff = this.time - olderThanMs;
    const kept = this.rows.filter(
      (r) => (r.relayedAt === null || r.relayedAt >= cutoff) && (r.gaveUpAt === null || r.gaveUpAt >= cutoff),
    );
    this.rows.splice(0, this.rows.length, ...kept);
    return before - kept.length;
  }

  private waiting(row: OutboxRow): boolean {
    return row.relayedAt === null && row.gaveUpAt === null;
  }

  private row(id: string): OutboxRow {
    const row = this.rows.find((r) => r.id === id);
    if (!row) throw new Error(`no outbox row ${id}`);
    return row;
  }
}
