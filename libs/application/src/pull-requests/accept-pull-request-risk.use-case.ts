import {
  ACCEPT_RISK_DAYS,
  type Clock,
  type PullRequestCheckRecord,
  type PullRequestFinding,
  type Repository,
  type Stores,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { isNewestHead, NOT_NEWEST_HEAD, queuePullRequestCheck } from './queue-pull-request-check';
import type { RelayPullRequestChecks } from './relay-pull-request-checks.use-case';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from '../webhooks/webhook-outcome';

export interface AcceptPullRequestRiskCommand {
  /** The GitHub App's webhook (the system's scope): only the App creates check runs. */
  readonly caller: Caller;
  readonly deliveryId: string;
  /** GitHub's immutable repository id, never its name. */
  readonly githubRepoId: string;
  readonly checkRunId: string;
  /** What GitHub says the run is: both must match the check RepoGuard published it for. */
  readonly externalId: string | null;
  readonly headSha: string;
  /** The GitHub login of who clicked the action. */
  readonly sender: string;
}

type AcceptRiskStores = Pick<Stores, 'repositories' | 'pullRequestChecks' | 'riskAcceptances' | 'audit'>;

const DAY_MS = 86_400_000;
const keyOf = (f: Pick<PullRequestFinding, 'vulnerabilityId' | 'ecosystem' | 'packageName'>) =>
  JSON.stringify([f.vulnerabilityId, f.ecosystem, f.packageName]);

/**
 * The check run's "Accept risk" action: every finding the pull request introduces that is not
 * accepted yet becomes an accepted risk of the org for that repository, for ACCEPT_RISK_DAYS, by the
 * GitHub user who clicked; each is audited. Then the same head's check is queued again, so it is
 * judged with the acceptances in force and the same check run updated. Only for a run RepoGuard
 * published on a connected repository: any other run, forged or foreign, changes nothing.
 */
export class AcceptPullRequestRisk {
  constructor(
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly relay: RelayPullRequestChecks,
  ) {}

  /** Part of the delivery's unit of work: the acceptances are committed with the delivery's record. */
  async executeIn(stores: AcceptRiskStores, command: AcceptPullRequestRiskCommand): Promise<WebhookOutcome> {
    const found = await this.findCheck(stores, command);
    if ('ignored' in found) return ignoredDelivery(found.ignored);
    const { repo, check } = found;
    // Only the newest head's run: accepting on an older one would re-check a head nobody merges.
    if (!(await isNewestHead(stores, check))) return ignoredDelivery(NOT_NEWEST_HEAD);
    const comparison = check.comparison!;
    const now = this.clock.now();
    const inForce = await stores.riskAcceptances.inForce(repo.id, now);
    const done = new Set([...comparison.accepted, ...inForce].map(keyOf));
    const pending = [...new Map(comparison.introduced.map((f) => [keyOf(f), f])).values()].filter(
      (f) => !done.has(keyOf(f)),
    );
    if (pending.length === 0) return ignoredDelivery('nothing left to accept');

    const expiresAt = new Date(now.getTime() + ACCEPT_RISK_DAYS * DAY_MS);
    const acceptedBy = `github:${command.sender}`;
    for (const finding of pending) {
      const acceptance = await stores.riskAcceptances.accept({
        id: this.newId(),
        orgId: repo.orgId,
        repoId: repo.id,
        vulnerabilityId: finding.vulnerabilityId,
        ecosystem: finding.ecosystem,
        packageName: finding.packageName,
        reason: `Accepted from the check of pull request #${check.prNumber} (${check.headSha.slice(0, 12)})`,
        acceptedBy,
        expiresAt,
      });
      stores.audit.record(command.caller.actor, {
        orgId: repo.orgId,
        action: 'risk.accepted',
        targetType: 'risk_acceptance',
        targetId: acceptance.id,
        metadata: {
          repo_id: repo.id,
          pr_number: check.prNumber,
          head_sha: check.headSha,
          check_id: check.id,
          check_run_id: command.checkRunId,
          vulnerability_id: finding.vulnerabilityId,
          ecosystem: finding.ecosystem,
          package: finding.packageName,
          expires_at: acceptance.expiresAt.toISOString(),
          accepted_by: acceptedBy,
          delivery_id: command.deliveryId,
        },
      });
    }
    const queued = await queuePullRequestCheck(
      stores,
      this.relay,
      command.caller,
      repo,
      {
        id: this.newId(),
        prNumber: check.prNumber,
        headSha: check.headSha,
        baseRef: check.baseRef,
        baseSha: check.baseSha,
        requestedBy: acceptedBy,
      },
      { risk_accepted: pending.length, delivery_id: command.deliveryId },
    );
    return {
      ...handledDelivery(`${pending.length} risk(s) accepted for ${ACCEPT_RISK_DAYS} days`),
      checks: [queued],
    };
  }

  /** The check RepoGuard published as this run, on a connected repository the caller may see. */
  private async findCheck(
    stores: AcceptRiskStores,
    command: AcceptPullRequestRiskCommand,
  ): Promise<{ repo: Repository; check: PullRequestCheckRecord } | { ignored: string }> {
    const repos = await stores.repositories.findByExternalId('github', command.githubRepoId);
    if (repos.length === 0) return { ignored: 'repository not connected' };
    for (const repo of repos) {
      const check = await stores.pullRequestChecks.findByCheckRun(repo.id, command.checkRunId);
      if (!check) continue;
      // GitHub echoes what RepoGuard set on the run: a payload that disagrees is not that run's.
      if (check.headSha !== command.headSha || (command.externalId && command.externalId !== check.id)) {
        return { ignored: 'check run does not match its check' };
      }
      if (repo.disabledAt) return { ignored: `repository disabled: ${repo.disabledReason ?? 'by GitHub'}` };
      if (!check.comparison) return { ignored: 'the check has no result yet' };
      return { repo, check };
    }
    return { ignored: 'not a check run of RepoGuard' };
  }
}
