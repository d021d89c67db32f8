import type { CheckRerequestEvent, PullRequestCheckRecord, Repository, Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from '../webhooks/webhook-outcome';
import {
  isNewestHead,
  NOT_NEWEST_HEAD,
  queuePullRequestCheck,
  type DeliveryCheck,
} from './queue-pull-request-check';
import type { RelayPullRequestChecks } from './relay-pull-request-checks.use-case';

export interface RerequestPullRequestCheckCommand {
  readonly caller: Caller;
  readonly deliveryId: string;
  /** `check_run`: the run RepoGuard created; `check_suite`: the head's pull requests RepoGuard checked. */
  readonly event: CheckRerequestEvent;
}

/**
 * "Re-run" on GitHub: the check of that head is queued again (its row re-queued, a new request
 * time) and relayed like a new one, if it is the pull request's newest head (an older head's
 * check is left as it ended, and the answer says why). Only checks RepoGuard created: another app's check run, or a
 * head RepoGuard never checked, is recorded and ignored.
 */
export class RerequestPullRequestCheck {
  constructor(
    private readonly relay: RelayPullRequestChecks,
    private readonly newId: () => string,
  ) {}

  async executeIn(
    stores: Stores,
    { caller, deliveryId, event }: RerequestPullRequestCheckCommand,
  ): Promise<WebhookOutcome> {
    if (event.action !== 'rerequested') return ignoredDelivery(`action ${event.action} is not acted on`);
    const repos = await stores.repositories.findByExternalId('github', String(event.repository.id));
    if (repos.length === 0) return ignoredDelivery('repository not connected');
    const checks: DeliveryCheck[] = [];
    let olderHeads = 0;
    for (const repo of repos) {
      if (repo.disabledAt) continue;
      for (const known of await this.knownChecks(stores, repo, event)) {
        // Refused rather than checked aside: the newest head's check is the one a merge waits on.
        if (!(await isNewestHead(stores, known))) {
          olderHeads++;
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
              prNumber: known.prNumber,
              headSha: known.headSha,
              baseRef: known.baseRef,
              baseSha: known.baseSha,
              requestedBy: `webhook:${deliveryId}`,
            },
            { rerequested: true, delivery_id: deliveryId },
          ),
        );
      }
    }
    if (checks.length > 0) return { ...handledDelivery('check rerequested'), checks };
    return ignoredDelivery(olderHeads > 0 ? NOT_NEWEST_HEAD : 'no check of RepoGuard on this head');
  }

  /** The checks of this head RepoGuard created on this repository. */
  private async knownChecks(
    stores: Stores,
    repo: Repository,
    event: CheckRerequestEvent,
  ): Promise<PullRequestCheckRecord[]> {
    const ours = (c: PullRequestCheckRecord | null): c is PullRequestCheckRecord =>
      c !== null && c.repoId === repo.id && c.headSha === event.headSha;
    if (event.checkRunId !== null) {
      const byRun = await stores.pullRequestChecks.findByCheckRun(repo.id, event.checkRunId);
      if (ours(byRun)) return [byRun];
      // Our external id is the check's id: only a uuid is looked up.
      const byExternal =
        event.externalId && UUID.test(event.externalId)
          ? await stores.pullRequestChecks.get(event.externalId)
          : null;
      return ours(byExternal) ? [byExternal] : [];
    }
    const listed = [];
    for (const pr of event.pullRequests.slice(0, 20)) {
      const found = (await stores.pullRequestChecks.listForPullRequest(repo.id, pr.number)).find(ours);
      if (found) listed.push(found);
    }
    return listed;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
