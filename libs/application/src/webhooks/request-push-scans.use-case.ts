import {
  decidePush,
  type DeliveryScan,
  type PushEvent,
  type Repository,
  type Stores,
} from '@repoguard/domain';
import { RequestScan } from '../scans/request-scan.use-case';
import type { Caller } from '../shared/caller';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from './webhook-outcome';

export interface RequestPushScansCommand {
  /**
   * The webhook: in the system's scope from the GitHub App's URL, in one org's scope from that
   * org's own URL, so a push can reach only the repositories its sender's scope sees.
   */
  readonly caller: Caller;
  readonly deliveryId: string;
  readonly push: PushEvent;
}

/**
 * A push to a watched branch asks every org (in the caller's scope) that connected the repository
 * for a scan of that branch. The push is only a hint: the scan reads the branch's head when it
 * runs, never the `after` of the body, so a replayed or reordered push cannot move the findings
 * back to an older commit (nor to a commit that is not on the branch at all).
 */
export class RequestPushScans {
  constructor(private readonly requestScan: RequestScan) {}

  /**
   * Part of the delivery's unit of work: the scan requests are committed with the delivery (never
   * one without the other), and relayed to Temporal once it committed (`RequestScan.relayAfterCommit`).
   */
  async executeIn(
    stores: Stores,
    { caller, deliveryId, push }: RequestPushScansCommand,
  ): Promise<WebhookOutcome> {
    // By GitHub's immutable id, never by name: a rename or a spoofed full_name cannot redirect a scan.
    const repos = await stores.repositories.findByExternalId('github', String(push.repository.id));
    if (repos.length === 0) return ignoredDelivery('repository not connected');

    const scans: DeliveryScan[] = [];
    const reasons: string[] = [];
    // A push that asks for nothing is still in the org's audit trail, with the reason.
    const ignored = (repo: Repository, reason: string) => {
      reasons.push(reason);
      stores.audit.record(caller.actor, {
        orgId: repo.orgId,
        action: 'webhook.ignored',
        targetType: 'repository',
        targetId: repo.id,
        metadata: { event: 'push', ref: push.ref, commit_sha: push.after, reason, delivery_id: deliveryId },
      });
    };
    for (const repo of repos) {
      if (repo.disabledAt) {
        ignored(repo, `repository disabled: ${repo.disabledReason ?? 'by GitHub'}`);
        continue;
      }
      const decision = decidePush(push, [repo.defaultBranch]);
      if (!decision.scan) {
        ignored(repo, decision.reason);
        continue;
      }
      const requested = await this.requestScan.executeIn(stores, {
        caller,
        repoId: repo.id,
        trigger: 'push',
        requestedBy: `webhook:${deliveryId}`,
        ref: decision.ref,
        deliveryId,
      });
      scans.push({
        repo_id: repo.id,
        org_id: repo.orgId,
        workflow_id: requested.workflowId,
        request_id: requested.requestId,
      });
    }
    return scans.length > 0
      ? handledDelivery('scan requested', scans)
      : ignoredDelivery([...new Set(reasons)].join('; '));
  }
}
