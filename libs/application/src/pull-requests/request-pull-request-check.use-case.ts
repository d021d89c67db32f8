import {
  isPullRequestCheckAction,
  type PullRequestEvent,
  type Repository,
  type Stores,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from '../webhooks/webhook-outcome';
import { queuePullRequestCheck } from './queue-pull-request-check';
import type { RelayPullRequestChecks } from './relay-pull-request-checks.use-case';

export interface RequestPullRequestCheckCommand {
  /** The webhook, in the system's scope (the App's URL) or one org's (its own URL). */
  readonly caller: Caller;
  readonly deliveryId: string;
  readonly event: PullRequestEvent;
}

/**
 * A `pull_request` delivery (opened, synchronize, reopened, ready_for_review) asks every org in
 * the caller's scope that connected the repository for a check of the head commit. Drafts are
 * checked too, as GitHub's own dependency review does: a draft is where a change is still cheap.
 * The repository is matched by GitHub's immutable id of the base repository; a fork's head is read
 * from the base repository's pull refs, never from the fork.
 */
export class RequestPullRequestCheck {
  constructor(
    private readonly relay: RelayPullRequestChecks,
    private readonly newId: () => string,
  ) {}

  /**
   * In the delivery's unit of work: the check rows and audit rows commit with the delivery; the
   * caller relays the rows (`RelayPullRequestChecks.relayAfterCommit`) once it committed.
   */
  async executeIn(
    stores: Stores,
    { caller, deliveryId, event }: RequestPullRequestCheckCommand,
  ): Promise<WebhookOutcome> {
    if (!isPullRequestCheckAction(event.action))
      return ignoredDelivery(`pull_request ${event.action} is not checked`);
    const repos = await stores.repositories.findByExternalId('github', String(event.repository.id));
    if (repos.length === 0) return ignoredDelivery('repository not connected');
    const checks = [];
    const ignored = (repo: Repository, reason: string) =>
      stores.audit.record(caller.actor, {
        orgId: repo.orgId,
        action: 'webhook.ignored',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          event: 'pull_request',
          action: event.action,
          pr_number: event.number,
          head_sha: event.headSha,
          reason,
          delivery_id: deliveryId,
        },
      });
    for (const repo of repos) {
      if (repo.disabledAt) {
        ignored(repo, `repository disabled: ${repo.disabledReason ?? 'by GitHub'}`);
        continue;
      }
      checks.push(
        await queuePullRequestCheck(
          stores,
          this.relay,
          caller,
          repo,
          {
            id: this.newId(),
            prNumber: event.number,
            headSha: event.headSha,
            baseRef: event.baseRef,
            baseSha: event.baseSha,
            requestedBy: `webhook:${deliveryId}`,
            headEvent: true,
          },
          { action: event.action, draft: event.draft, delivery_id: deliveryId },
        ),
      );
    }
    return checks.length > 0
      ? { ...handledDelivery('check requested'), checks }
      : ignoredDelivery('repository disabled');
  }
}
