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
  /** No other relay takes a claimed request for this long: longer than a bounded Temporal call. */
  readonly leaseMs: number;
  /** A request refused for a reason of its own is retried after base·2^attempts, at most max. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /**
   * After Temporal was found out of reach, new requests are left to the relay loop (answered at
   * once, not after a failing call) until a relay gets one through, or for this long. The loop
   * renews it with each failed try, so during an outage no caller waits on Temporal.
   */
  readonly skipImmediateAfterOutageMs: number;
}

export const DEFAULT_RELAY_SETTINGS: Omit<RelaySettings, 'taskQueue'> = {
  batchSize: 100,
  leaseMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 30_000,
  skipImmediateAfterOutageMs: 30_000,
};

/**
 * Sends committed scan requests (the outbox) to their repositories' scan workflows, outside any
 * transaction: rows are claimed in one short statement and marked one by one once Temporal accepted
 * them. At least once: a crash between the signal and the mark sends the request again after its
 * lease, and the workflow drops a request id it already holds. Oldest first, and a round stops at
 * the first sign that Temporal is down, so requests reach a restored Temporal in the order they came.
 */
export class RelayScanRequests {
  private lastOutageAt: number | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly requester: ScanRequester,
    private readonly settings: RelaySettings,
    private readonly now: () => number = Date.now,
  ) {}

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
    const { taskQueue, batchSize, leaseMs } = this.settings;
    const claimed = await this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.claim({
        taskQueue,
        limit: batchSize,
        leaseMs,
        ...(command.ids ? { ids: command.ids } : {}),
      }),
    );
    const relayed = new Map<string, ScanRequestReceipt>();
    let failed = 0;
    for (const [index, request] of claimed.entries()) {
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
        return { claimed: claimed.length, relayed, failed, engineUnavailable: true };
      }
      failed++;
      await this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
        scanRequestOutbox.reschedule(request.id, message, this.retryDelay(request.attempts)),
      );
    }
    if (relayed.size > 0) this.lastOutageAt = null;
    return { claimed: claimed.length, relayed, failed, engineUnavailable: false };
  }

  /** What still waits to be sent to this relay's task queue. */
  backlog(): Promise<OutboxBacklog> {
    return this.uow.transaction(SYSTEM_SCOPE, ({ scanRequestOutbox }) =>
      scanRequestOutbox.backlog(this.settings.taskQueue),
    );
  }

  /** Deletes requests relayed more than `olderThanMs` ago (kept meanwhile to show what was sent). */
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
      receipt = await this.requester.request(request.target, request.details, request.routing);
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

  private retryDelay(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.settings;
    return Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempts, 30));
  }
}
