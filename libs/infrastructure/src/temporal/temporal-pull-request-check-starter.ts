import type { Client } from '@temporalio/client';
import {
  PR_SCAN_WORKFLOW,
  prScanWorkflowId,
  pullRequestCheckRequested,
  type PrScanInput,
  type PullRequestCheckRequest,
} from '@repoguard/contract';
import type { PullRequestCheckStart, PullRequestCheckStarter } from '@repoguard/domain';

/**
 * Signals the pull request's pr-scan workflow with the check to run, starting it when none runs
 * (signal-with-start: one call, no race between two deliveries). Gives up after `timeoutMs`, so a
 * Temporal that is down holds the webhook's answer up no longer than that.
 */
export class TemporalPullRequestCheckStarter implements PullRequestCheckStarter {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async start(check: PullRequestCheckStart): Promise<void> {
    const input: PrScanInput = {
      orgId: check.orgId,
      repoId: check.repoId,
      owner: check.owner,
      name: check.name,
      prNumber: check.prNumber,
    };
    const request: PullRequestCheckRequest = {
      checkId: check.checkId,
      headSha: check.headSha,
      baseRef: check.baseRef,
      baseSha: check.baseSha,
      requestedBy: check.requestedBy,
      ...(check.correlationId ? { correlationId: check.correlationId } : {}),
    };
    await this.client.connection.withDeadline(Date.now() + this.timeoutMs, () =>
      this.client.workflow.signalWithStart(PR_SCAN_WORKFLOW, {
        taskQueue: this.taskQueue,
        workflowId: prScanWorkflowId(check.repoId, check.prNumber),
        args: [input],
        signal: pullRequestCheckRequested,
        signalArgs: [request],
      }),
    );
  }
}
