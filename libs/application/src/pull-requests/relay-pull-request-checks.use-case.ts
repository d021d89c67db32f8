import {
  isScanEngineUnavailable,
  SYSTEM_SCOPE,
  type PullRequestCheckRecord,
  type PullRequestCheckStarter,
  type UnitOfWork,
} from '@repoguard/domain';

export interface PullRequestCheckRelaySettings {
  /** The task queue this relay serves: it sends only the requests recorded for it. */
  readonly taskQueue: string;
  /** Requests claimed per round. */
  readonly batchSize: number;
  /** A claimed (or just committed) request is left alone this long before the relay sends it again. */
  readonly leaseMs: number;
  /** After Temporal was found out of reach, new requests are left to the loop for this long. */
  readonly skipImmediateAfterOutageMs: number;
  /**
   * A check sent but neither ended nor touched for this long is looked at: if its pull request's
   * workflow no longer runs (terminated, or it ended before the check did), it is sent again.
   */
  readonly stalledAfterMs: number;
}

export const DEFAULT_PR_CHECK_RELAY_SETTINGS: Omit<PullRequestCheckRelaySettings, 'taskQueue'> = {
  batchSize: 10,
  leaseMs: 30_000,
  skipImmediateAfterOutageMs: 30_000,
  // Longer than a check's steps take with their retries: a running workflow is left alone anyway.
  stalledAfterMs: 15 * 60_000,
};

export interface PullRequestCheckRelayRound {
  readonly claimed: number;
  readonly relayed: number;
  /** Their repository was disabled or disconnected: ended failed, never sent. */
  readonly dropped: number;
  readonly engineUnavailable: boolean;
  /** Stalled checks whose workflow had ended, queued again (see `stalledAfterMs`). */
  readonly resent?: number;
}

/**
 * Sends committed check requests (`queued` rows still due to the relay) to their pull request's
 * workflow. The check row is its own outbox: the delivery that asked for it committed it, so
 * nothing is lost when Temporal is down; whoever committed it sends it at once, and the loop sends
 * what that could not, after the row's hold. At least once: the workflow keeps only the newest
 * request of a head (by its request time), so a second copy changes nothing.
 */
export class RelayPullRequestChecks {
  private lastOutageAt: number | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly starter: PullRequestCheckStarter,
    private readonly settings: PullRequestCheckRelaySettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** False shortly after an outage: the caller answers at once and leaves its requests to the loop. */
  get relaysAtOnce(): boolean {
    return (
      this.lastOutageAt === null || this.now() - this.lastOutageAt >= this.settings.skipImmediateAfterOutageMs
    );
  }

  /** How long whoever commits a request holds it for itself (it sends it right after the commit). */
  get holdMs(): number {
    return this.relaysAtOnce ? this.settings.leaseMs : 0;
  }

  get taskQueue(): string {
    return this.settings.taskQueue;
  }

  workflowIdFor(repoId: string, prNumber: number): string {
    return this.starter.workflowIdFor(repoId, prNumber);
  }

  /** Sends these committed requests now; never throws (what is not sent, the loop sends). */
  async relayAfterCommit(checkIds: readonly string[]): Promise<number> {
    if (checkIds.length === 0 || !this.relaysAtOnce) return 0;
    const round = await this.execute({ ids: checkIds }).catch(() => null);
    return round?.relayed ?? 0;
  }

  /**
   * Checks the relay sent whose workflow ended without ending them (terminated, or its last step
   * failed to record the failure): queued again and sent, so no pull request keeps a pending check.
   */
  async resendStalled(): Promise<number> {
    const { taskQueue, stalledAfterMs, batchSize } = this.settings;
    const stalled = await this.uow.transaction(SYSTEM_SCOPE, ({ pullRequestChecks }) =>
      pullRequestChecks.claimStalled(taskQueue, stalledAfterMs, batchSize),
    );
    const resent: string[] = [];
    for (const check of stalled) {
      try {
        if (await this.starter.isRunning(check.repoId, check.prNumber)) continue;
      } catch (error) {
        if (!isScanEngineUnavailable(error)) throw error;
        this.lastOutageAt = this.now();
        break;
      }
      const requeued = await this.uow.transaction(SYSTEM_SCOPE, ({ pullRequestChecks }) =>
        pullRequestChecks.requeueStalled(check.id, check.requestedAt),
      );
      if (requeued) resent.push(requeued.id);
    }
    // Sent now when Temporal answers, else by the next rounds (they are due).
    if (resent.length > 0) await this.execute({ ids: resent }).catch(() => null);
    return resent.length;
  }

  async execute(command: { readonly ids?: readonly string[] } = {}): Promise<PullRequestCheckRelayRound> {
    const { batchSize, leaseMs } = this.settings;
    const checks = await this.uow.transaction(SYSTEM_SCOPE, async ({ pullRequestChecks }) =>
      command.ids
        ? (await Promise.all(command.ids.map((id) => pullRequestChecks.get(id)))).filter(
            (c): c is PullRequestCheckRecord => c?.state === 'queued',
          )
        : pullRequestChecks.claimUnrelayed(this.settings.taskQueue, batchSize, leaseMs),
    );
    let relayed = 0;
    let dropped = 0;
    for (const check of checks) {
      const repo = await this.uow.read(SYSTEM_SCOPE, ({ repositories }) => repositories.get(check.repoId));
      if (!repo || repo.disabledAt) {
        dropped++;
        await this.uow.transaction(SYSTEM_SCOPE, ({ pullRequestChecks }) =>
          pullRequestChecks.fail(check.id, 'REPO_DISABLED'),
        );
        continue;
      }
      try {
        await this.starter.start(
          {
            orgId: repo.orgId,
            repoId: repo.id,
            owner: repo.owner,
            name: repo.name,
            defaultBranch: repo.defaultBranch,
          },
          check,
        );
      } catch (error) {
        if (!isScanEngineUnavailable(error)) throw error;
        // The rest stay due (after their hold): the loop sends them once Temporal is back.
        this.lastOutageAt = this.now();
        return { claimed: checks.length, relayed, dropped, engineUnavailable: true };
      }
      relayed++;
      await this.uow.transaction(SYSTEM_SCOPE, ({ pullRequestChecks }) =>
        pullRequestChecks.markRelayed(check.id, check.requestedAt),
      );
    }
    if (relayed > 0) this.lastOutageAt = null;
    return { claimed: checks.length, relayed, dropped, engineUnavailable: false };
  }
}
