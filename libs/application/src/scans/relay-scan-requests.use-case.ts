import {
  isScanEngineUnavailable,
  SYSTEM_SCOPE,
  type OutboxBacklog,
  type OutboxScanRequest,
  type ScanRequester,
  type ScanRequestReceipt,
  type UnitOfWork,
} from '@repoguard/domain';

export interface RelayScanRequestsCommand {
  /** Only these requests, held or not (whoever enqueued them relays them at once); else those due. */
  readonly ids?: readonly string[];
}

export interface RelayRound {
  readonly claimed: number;
  /** The requests Temporal accepted, by outbox id. */
  readonly relayed: ReadonlyMap<string, ScanRequestReceipt>;
  /** Refused for a reason of their own: each retried later, with its own backoff. */
  readonly failed: number;
  /** Refused too often or for too long, or their repository was disabled: never sent. */
  readonly gaveUp: number;
  /** Claimed by another relay since this round claimed them (the lease ran out): left to it. */
  readonly lost: number;
  /** Temporal was out of reach: the round stopped, and what it had claimed is due again, in order. */
  readonly engineUnavailable: boolean;
}

export interface RelaySettings {
  /**
   * The task queue this relay serves: it sends only requests meant for it, and requests that name
   * none are meant for it.
   */
  readonly taskQueue: string;
  /** Requests claimed per round. */
  readonly batchSize: number;
  /** The longest one call to Temporal takes (the requester's bound, its retries included). */
  readonly requestTimeoutMs: number;
  /**
   * No other relay takes a claimed request for this long: at least a whole round of bounded calls
   * (batchSize × requestTimeoutMs), and renewed before each send.
   */
  readonly leaseMs: number;
  /** A request refused for a reason of its own is retried after base·2^attempts, at most max. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /**
   * A request refused this many times, or still refused this long after it was made, is given up
   * (kept with its last error until pruned): Temporal will not take it, and it must not hold the
   * backlog's age up. An outage never counts: what waits for Temporal to come back is sent then.
   */
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
  /**
   * After Temporal was found out of reach, new requests are left to the relay loop (answered at
   * once, not after a failing call) until a relay gets one through, or for this long. The loop
   * renews it with each failed try, so during an outage no caller waits on Temporal.
   */
  readonly skipImmediateAfterOutageMs: number;
}

export const DEFAULT_RELAY_SETTINGS: Omit<RelaySettings, 'taskQueue'> = {
  // Small rounds: each org gets its turn sooner, and a claim never outlives its lease.
  batchSize: 10,
  requestTimeoutMs: 5_000,
  leaseMs: 60_000,
  retryBaseMs: 1_000,
  retryMaxMs: 30_000,
  maxAttempts: 20,
  maxAgeMs: 60 * 60 * 1000,
  skipImmediateAfterOutageMs: 30_000,
};

/**
 * Sends committed scan requests (the outbox) to their repositories' scan workflows, outside any
 * transaction: rows are claimed in one short statement, each one's lease renewed just before it is
 * sent (skipped when another relay has claimed it since), and marked once Temporal accepted it. At
 * least once: a crash between the signal and the mark sends the request again after its lease, and
 * the workflow drops a request id it holds or served. Each request carries its outbox sequence, so
 * the workflow scans the newest it holds whatever order relays deliver them in. The orgs take
 * turns, and a round stops at the first sign that Temporal is down, so requests reach a restored
 * Temporal in the order they came.
 */
export class RelayScanRequests {
  private lastOutageAt: number | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly requester: ScanRequester,
    private readonly settings: RelaySettings,
    private readonly now: () => number = Date.now,
  ) {
    const round = settings.batchSize * settings.requestTimeoutMs;
    if (settings.leaseMs < round) {
      throw new Error(
        `scan request relay: a lease of ${settings.leaseMs} ms is shorter than a round of ${settings.batchSize} requests of up to ${settings.requestTimeoutMs} ms each (${round} ms)`,
      );
    }
  }

  /**
   * False shortly after Temporal was found out of reach: whoever enqueues a request then answers at
   * once and leaves it to the relay loop, instead of waiting on a call that will fail.
   */
  get relaysAtOnce(): boolean {
    return (
      this.lastOutageAt === null || this.now() - this.lastOutageAt >= this.settings.skipImmediateAfterOutageMs
    );
  }

  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  get taskQueue(): string {
    return this.settings.taskQueue;
  }

  async execute(command: RelayScanRequestsCommand = {}): Promise<RelayRound> {
    if (!command.ids) return this.round();
    // Named requests in rounds of batchSize, so no claim outlives its lease either.
    const { batchSize } = this.settings;
    const total: RelayRound & { relayed: Map<string, ScanRequestReceipt> } = {
      claimed: 0,
      relayed: new Map(),
      failed: 0,
      gaveUp: 0,
      lost: 0,
      engineUnavailable: false,
    };
    for (let start = 0; start < command.ids.length; start += batchSize) {
      const round = await this.round(command.ids.slice(start, start + batchSize));
      for (const [id, receipt] of round.relayed) total.relayed.set(id, receipt);
      Object.assign(total, {
        claimed: total.claimed + round.claimed,
        failed: total.failed + round.failed,
        gaveUp: total.gaveUp + round.gaveUp,
        lost: total.lost + round.lost,
        engineUnavailable: round.engineUnavailable,
      });
      if (round.engineUnavailable) break;
    }
    return total;
  }

  private async round(ids?: readonly string[]): Promise<RelayRound> {
    const { taskQueue, batchSize, leaseMs } = this.settings;
    const claimed = await this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.claim({ taskQueue, limit: batchSize, leaseMs, ...(ids ? { ids } : {}) }),
    );
    const relayed = new Map<string, ScanRequestReceipt>();
    let failed = 0;
    let gaveUp = 0;
    let lost = 0;
    for (const [index, request] of claimed.entries()) {
      // Renewed just before the call: a round slower than its lease (a stalled process) must not
      // send what another relay has claimed since.
      const hold = await this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
        scanRequestOutbox.hold(request.id, request.claim, leaseMs),
      );
      if (hold === 'taken') {
        lost++;
        continue;
      }
      if (hold === 'repo_disabled') {
        gaveUp++;
        await this.giveUp(request, 'REPO_DISABLED: the repository was disabled before the request was sent');
        continue;
      }
      const outcome = await this.send(request);
      if ('receipt' in outcome) {
        relayed.set(request.id, outcome.receipt);
        continue;
      }
      const message = (outcome.error as Error)?.message ?? String(outcome.error);
      if (isScanEngineUnavailable(outcome.error)) {
        this.lastOutageAt = this.now();
        const rest = claimed.slice(index + 1).map((r) => r.id);
        await this.uow.transaction(SYSTEM_SCOPE, async ({ scanRequestOutbox }) => {
          await scanRequestOutbox.reschedule(request.id, message, 0);
          await scanRequestOutbox.release(rest);
        });
        return { claimed: claimed.length, relayed, failed, gaveUp, lost, engineUnavailable: true };
      }
      if (this.exhausted(request)) {
        gaveUp++;
        await this.giveUp(request, message);
        continue;
      }
      failed++;
      await this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
        scanRequestOutbox.reschedule(request.id, message, this.retryDelay(request.attempts)),
      );
    }
    if (relayed.size > 0) this.lastOutageAt = null;
    return { claimed: claimed.length, relayed, failed, gaveUp, lost, engineUnavailable: false };
  }

  /** What still waits to be sent to this relay's task queue. */
  backlog(): Promise<OutboxBacklog> {
    return this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.backlog(this.settings.taskQueue),
    );
  }

  /**
   * Deletes requests relayed or given up more than `olderThanMs` ago (kept meanwhile to show what
   * was sent, and what was not and why).
   */
  pruneRelayed(olderThanMs: number): Promise<number> {
    return this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.pruneRelayed(olderThanMs),
    );
  }

  private async send(
    request: OutboxScanRequest,
  ): Promise<{ receipt: ScanRequestReceipt } | { error: unknown }> {
    let receipt: ScanRequestReceipt;
    try {
      receipt = await this.requester.request(
        request.target,
        { ...request.details, sequence: request.sequence },
        request.routing,
      );
    } catch (error) {
      return { error };
    }
    // Outside the try: a database failure here is not Temporal's; the lease brings the request back
    // and the workflow drops the second copy.
    await this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.markRelayed(request.id),
    );
    return { receipt };
  }

  /** This refusal is the last one tried: the attempt limit, or the request's age, is reached. */
  private exhausted(request: OutboxScanRequest): boolean {
    const { maxAttempts, maxAgeMs } = this.settings;
    return request.attempts + 1 >= maxAttempts || this.now() - request.createdAt.getTime() >= maxAgeMs;
  }

  private giveUp(request: OutboxScanRequest, error: string): Promise<void> {
    return this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.giveUp(request.id, error),
    );
  }

  private retryDelay(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.settings;
    return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempts, 30));
  }
}
