import type { NewPullRequestCheck, PullRequestCheckRecord, Repository, Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import type { RelayPullRequestChecks } from './relay-pull-request-checks.use-case';

/** A check a delivery asked for, as its answer names it. */
export interface DeliveryCheck {
  readonly repo_id: string;
  readonly org_id: string;
  readonly pr_number: number;
  readonly head_sha: string;
  readonly check_id: string;
  readonly workflow_id: string;
}

/** Why a rerequest or an accepted risk of an older head is refused. */
export const NOT_NEWEST_HEAD = 'not the newest head of the pull request: only its check is checked again';

/**
 * Whether this check is of its pull request's newest head (as `pull_request` deliveries named
 * them). Only that head's check is asked for again: the pull request's workflow checks the newest
 * head, and an older head's check asked again would otherwise be taken for the newest.
 */
export async function isNewestHead(
  stores: Pick<Stores, 'pullRequestChecks'>,
  check: PullRequestCheckRecord,
): Promise<boolean> {
  const newest = await stores.pullRequestChecks.newestHead(check.repoId, check.prNumber);
  return newest?.id === check.id;
}

/**
 * Commits a check request for one head of one pull request (and its audit row) in the delivery's
 * unit of work; the caller relays it once that committed.
 */
export async function queuePullRequestCheck(
  stores: Pick<Stores, 'pullRequestChecks' | 'audit'>,
  relay: RelayPullRequestChecks,
  caller: Caller,
  repo: Repository,
  check: Omit<NewPullRequestCheck, 'orgId' | 'repoId'>,
  metadata: Record<string, unknown>,
): Promise<DeliveryCheck> {
  const row = await stores.pullRequestChecks.request(
    { ...check, orgId: repo.orgId, repoId: repo.id },
    { relayHoldMs: relay.holdMs, taskQueue: relay.taskQueue },
  );
  stores.audit.record(caller.actor, {
    orgId: repo.orgId,
    action: 'pull_request_check.requested',
    targetType: 'repository',
    targetId: repo.id,
    metadata: {
      check_id: row.id,
      pr_number: row.prNumber,
      head_sha: row.headSha,
      base_ref: row.baseRef,
      ...metadata,
    },
  });
  return {
    repo_id: repo.id,
    org_id: repo.orgId,
    pr_number: row.prNumber,
    head_sha: row.headSha,
    check_id: row.id,
    workflow_id: relay.workflowIdFor(repo.id, row.prNumber),
  };
}
