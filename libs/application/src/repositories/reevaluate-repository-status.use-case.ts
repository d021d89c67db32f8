import {
  DEFAULT_POLICY,
  judgeFindings,
  reasonsForEvent,
  repoDisplayName,
  verdictLapsesAt,
  type AuditContext,
  type Clock,
  type LapsedIgnore,
  type NewNotificationEvent,
  type NotificationPayloads,
  type PolicyRules,
  type RepoStatus,
  type Stores,
  type TenantScope,
  type UnitOfWork,
} from '@repoguard/domain';

/**
 * What made the status worth judging again, as the audit trail names it: `status.due` is the
 * sweep's (an ignore lapsed, or a policy change's re-evaluation did not finish).
 */
export type ReevaluationCause = 'finding.triaged' | 'policy.updated' | 'status.due';

export interface ReevaluateRepositoryStatusCommand {
  readonly scope: TenantScope;
  readonly actor: AuditContext;
  readonly repoId: string;
  readonly cause: ReevaluationCause;
  /** Judge only if the repository is (still) due: another replica may have judged it meanwhile. */
  readonly onlyIfDue?: boolean;
  /** The policy just saved in the same unit of work (not readable back before it is flushed). */
  readonly policy?: { readonly version: number; readonly rules: PolicyRules };
}

/** The key that groups an ignore's expiry with what it changed, whoever performs it (timer or sweep). */
export const expiryGroupKey = (findingId: string, expiresAt: Date): string =>
  `expiry:${findingId}:${expiresAt.getTime()}`;

/**
 * What a status change is told as having been caused by: an ignore that lapsed, unless a person's
 * decision or a policy change is what asked for the judging.
 */
function eventCause(
  cause: ReevaluationCause,
  lapsed: readonly LapsedIgnore[],
): NotificationPayloads['repo.status_changed']['cause'] {
  if (cause === 'finding.triaged') return 'triage';
  if (cause === 'policy.updated') return 'policy';
  // The sweep: an ignore that lapsed, or a policy change whose own judging did not finish.
  return lapsed.length > 0 ? 'triage_expiry' : 'policy';
}

export interface RepositoryStatusChange {
  readonly repoId: string;
  readonly from: RepoStatus;
  readonly to: RepoStatus;
  /** When it will be judged again with nothing else changing; null: not until something changes. */
  readonly reevaluateAt: Date | null;
  /** Ignores found past their expiry and opened again on the way. */
  readonly lapsedIgnores: number;
}

/**
 * How long a repository whose re-evaluation failed waits before it is tried again: long enough that
 * the sweep (and a policy change) move on to the other due repositories, which it would otherwise
 * stay ahead of for ever, most overdue first.
 */
export const RETRY_FAILED_REEVALUATION_MS = 60_000;

const SYSTEM_ACTOR: AuditContext = { actorType: 'system', actorId: null, correlationId: null, ip: null };

/**
 * Judges a repository's stored status again from its current findings and the org's policy, as
 * the scan's last step would, without a scan: after a triage decision, a policy change, or once an
 * ignore it counted on lapses. Every such trigger comes here. Ignores past their expiry are opened
 * first (audited as `finding.ignore_expired`), a changed status is audited as
 * `repo.status_changed`, and the next time the verdict may lapse is stored with it for the sweep.
 */
export class ReevaluateRepositoryStatus {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    /** Group keys of changes (`change:<id>`). */
    private readonly newId: () => string = () => globalThis.crypto.randomUUID(),
  ) {}

  /** In a transaction of its own. */
  execute(command: ReevaluateRepositoryStatusCommand): Promise<RepositoryStatusChange | null> {
    return this.uow.transaction(command.scope, (stores) => this.within(stores, command));
  }

  /**
   * After `execute` failed for the repository: it is tried again in RETRY_FAILED_REEVALUATION_MS,
   * unless it was judged meanwhile. When, or null if it was no longer due.
   */
  async postponeAfterFailure(scope: TenantScope, repoId: string): Promise<Date | null> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + RETRY_FAILED_REEVALUATION_MS);
    const postponed = await this.uow.transaction(scope, ({ repositories }) =>
      repositories.postponeReevaluation(repoId, now, until),
    );
    return postponed ? until : null;
  }

  /** In the caller's unit of work, so the status changes in the same transaction as its cause. */
  async within(
    stores: Stores,
    {
      actor,
      repoId,
      cause,
      onlyIfDue,
      policy,
      groupKey,
    }: Omit<ReevaluateRepositoryStatusCommand, 'scope'> & {
      /** Groups the status change with the rest of the caller's change (its triage decision). */
      readonly groupKey?: string;
    },
  ): Promise<RepositoryStatusChange | null> {
    const { repositories, findingTriage, scannedState, policies, audit, notificationEvents } = stores;
    await repositories.holdOutcome(repoId);
    const repo = await repositories.get(repoId);
    if (!repo) return null;
    const now = this.clock.now();
    if (onlyIfDue && (!repo.statusReevaluateAt || repo.statusReevaluateAt.getTime() > now.getTime())) {
      return null;
    }
    const lapsedIgnores = await findingTriage.lapseExpiredIgnores(repoId, now);
    // Every change of a repository's findings but a scan's comes here (a decision, an ignore that
    // lapsed): the day's count for the trend, in the same transaction.
    await stores.openFindingHistory.record(repoId, now);
    const addressed = {
      org_id: repo.orgId,
      repo_id: repo.id,
      repo_name: repoDisplayName(repo),
      scan_id: null,
    };
    // Exactly once: the stored status going from ignored to open is what tells of it, and it
    // happens here (under the repository's lock) or in a scan's findings sync, never twice.
    const events: NewNotificationEvent[] = lapsedIgnores.map((lapsed) => ({
      ...addressed,
      type: 'triage.expired',
      severity: lapsed.severity,
      group_key: expiryGroupKey(lapsed.id, lapsed.expiresAt),
      payload: {
        finding: {
          finding_id: lapsed.id,
          vulnerability_id: lapsed.vulnerabilityId,
          aliases: lapsed.aliases,
          severity: lapsed.severity,
          ecosystem: lapsed.ecosystem,
          package_name: lapsed.packageName,
          version: lapsed.version,
          manifest_path: lapsed.manifestPath,
          fixed_versions: lapsed.fixedVersions,
          summary: lapsed.summary,
        },
        reason: lapsed.reason,
        decided_by: lapsed.decidedBy,
        expired_at: lapsed.expiresAt.toISOString(),
      },
    }));
    for (const lapsed of lapsedIgnores) {
      audit.record(SYSTEM_ACTOR, {
        orgId: repo.orgId,
        action: 'finding.ignore_expired',
        targetType: 'finding',
        targetId: lapsed.id,
        metadata: {
          expired_at: lapsed.expiresAt.toISOString(),
          vulnerability_id: lapsed.vulnerabilityId,
          package: `${lapsed.ecosystem}/${lapsed.packageName}@${lapsed.version}`,
        },
      });
    }
    const state = await scannedState.lastScanned(repoId);
    if (!state) {
      // Never scanned to the end: nothing to judge; its scan will.
      await repositories.setStatus(repoId, repo.status, null);
      await notificationEvents.record(events);
      return null;
    }
    const current = policy ?? (await policies.latest(repo.orgId));
    const rules = current?.rules ?? DEFAULT_POLICY;
    const evaluation = judgeFindings(rules, state.findings, state.dependencies, now, state.completeness);
    const reevaluateAt = verdictLapsesAt(rules, state.findings, now);
    await repositories.setStatus(repoId, evaluation.status, reevaluateAt);
    if (evaluation.status !== repo.status) {
      audit.record(actor, {
        orgId: repo.orgId,
        action: 'repo.status_changed',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          from: repo.status,
          to: evaluation.status,
          cause,
          policy_version: current?.version ?? null,
          snapshot_id: state.snapshotId,
          reasons: evaluation.reasons.map((r) => r.message),
        },
      });
      const why = eventCause(cause, lapsedIgnores);
      const first = lapsedIgnores[0];
      events.push({
        ...addressed,
        type: 'repo.status_changed',
        severity: null,
        // With the expiry that changed it; a person's change or a policy's is a change of its own.
        group_key:
          why === 'triage_expiry' && first
            ? expiryGroupKey(first.id, first.expiresAt)
            : (groupKey ?? `change:${this.newId()}`),
        payload: {
          old_status: repo.status,
          new_status: evaluation.status,
          reasons: reasonsForEvent(evaluation.reasons),
          cause: why,
        },
      });
    }
    await notificationEvents.record(events);
    return {
      repoId,
      from: repo.status,
      to: evaluation.status,
      reevaluateAt,
      lapsedIgnores: lapsedIgnores.length,
    };
  }
}
