import {
  SYSTEM_SCOPE,
  type DigestRuleDirectory,
  type DigestScheduler,
  type RescanScheduler,
  type UnitOfWork,
} from '@repoguard/domain';

export interface ScheduleReconcileRound {
  readonly created: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
  /** One line per Schedule that could not be brought in line (tried again next round). */
  readonly failed: readonly string[];
}

// Rules and schedules read per page: a round never holds every org's rules at once.
const PAGE = 500;

/**
 * Makes the workflow engine's Schedules match what is stored: one digest Schedule per enabled
 * digest rule, one rescan Schedule per org that set one; created when missing, updated when
 * changed, removed when their rule or schedule is gone. Each round lists the engine's Schedules
 * first and reads the database after, so a Schedule is only removed when its rule was gone (or no
 * longer a digest) at a moment after the Schedule was seen. Idempotent: every API replica runs it.
 */
export class ReconcileNotificationSchedules {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly digestRules: DigestRuleDirectory,
    private readonly digestScheduler: DigestScheduler,
    private readonly rescanScheduler: RescanScheduler,
  ) {}

  async execute(): Promise<ScheduleReconcileRound> {
    const round = { created: 0, updated: 0, removed: 0, unchanged: 0, failed: [] as string[] };
    const errors: unknown[] = [];
    // Each part on its own: an engine refusing one kind of Schedule does not hold up the other.
    await this.digests(round).catch((error: unknown) => errors.push(error));
    await this.rescans(round).catch((error: unknown) => errors.push(error));
    if (errors.length === 2) throw errors[0];
    for (const error of errors) round.failed.push(`schedules not listed: ${(error as Error).message}`);
    return round;
  }

  private async digests(round: Round): Promise<void> {
    const listed = await this.digestScheduler.list();
    const wanted = new Set<string>();
    for (let after: string | null = null; ;) {
      const rules = await this.digestRules.enabledDigestRules(after, PAGE);
      for (const rule of rules) {
        wanted.add(rule.id);
        await this.count(round, `digest ${rule.id}`, () =>
          this.digestScheduler.apply(rule, listed.get(rule.id)),
        );
      }
      if (rules.length < PAGE) break;
      after = rules.at(-1)!.id;
    }
    for (const ruleId of listed.keys()) {
      if (wanted.has(ruleId)) continue;
      await this.count(round, `digest ${ruleId}`, async () => {
        await this.digestScheduler.remove(ruleId);
        return 'removed';
      });
    }
  }

  private async rescans(round: Round): Promise<void> {
    const listed = await this.rescanScheduler.list();
    const wanted = new Set<string>();
    for (let after: string | null = null; ;) {
      const page = await this.uow.read(SYSTEM_SCOPE, ({ rescanSchedules }) =>
        rescanSchedules.page(after, PAGE),
      );
      for (const { org_id, schedule } of page) {
        wanted.add(org_id);
        await this.count(round, `rescan ${org_id}`, () =>
          this.rescanScheduler.apply(org_id, schedule, listed.get(org_id)),
        );
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.org_id;
    }
    for (const orgId of listed.keys()) {
      if (wanted.has(orgId)) continue;
      await this.count(round, `rescan ${orgId}`, async () => {
        await this.rescanScheduler.remove(orgId);
        return 'removed';
      });
    }
  }

  private async count(
    round: Round,
    what: string,
    work: () => Promise<'created' | 'updated' | 'unchanged' | 'removed'>,
  ): Promise<void> {
    try {
      round[await work()]++;
    } catch (error) {
      round.failed.push(`${what}: ${(error as Error).message}`);
    }
  }
}

type Round = { -readonly [K in Exclude<keyof ScheduleReconcileRound, 'failed'>]: number } & {
  failed: string[];
};
