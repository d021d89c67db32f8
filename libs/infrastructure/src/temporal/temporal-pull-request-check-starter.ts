import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import {
  PR_SCAN_WORKFLOW,
  prScanWorkflowId,
  pullRequestCheckRequested,
  RepoGuardOrgId,
  RepoGuardRepo,
  RepoGuardRepoId,
  scanFairnessKey,
  type PrScanInput,
  type PullRequestCheckRequest,
} from '@repoguard/contract';
import type {
  PullRequestCheckRecord,
  PullRequestCheckStarter,
  PullRequestCheckTarget,
} from '@repoguard/domain';
import { asEngineFailure } from './temporal-scan-requester';

export interface TemporalPullRequestCheckStarterOptions {
  /** The pull request's debounce (the scans' SCAN_QUIET_WINDOW_MS); unset: the workflow's default. */
  readonly quietWindowMs?: number;
  /** Bounds each signal-with-start, the client's retries included. */
  readonly requestTimeoutMs?: number;
}

/** Signal-with-start of `pr-scan:<repo>:<number>` (USE_EXISTING): one workflow per pull request. */
export class TemporalPullRequestCheckStarter implements PullRequestCheckStarter {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly options: TemporalPullRequestCheckStarterOptions = {},
  ) {}

  workflowIdFor(repoId: string, prNumber: number): string {
    return prScanWorkflowId(repoId, prNumber);
  }

  async isRunning(repoId: string, prNumber: number): Promise<boolean> {
    try {
      const described = await this.client.workflow.getHandle(prScanWorkflowId(repoId, prNumber)).describe();
      return described.status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw asEngineFailure(error, 'the check workflow');
    }
  }

  async start(target: PullRequestCheckTarget, check: PullRequestCheckRecord): Promise<void> {
    const input: PrScanInput = {
      orgId: target.orgId,
      repoId: target.repoId,
      owner: target.owner,
      name: target.name,
      prNumber: check.prNumber,
      defaultBranch: target.defaultBranch,
      ...(this.options.quietWindowMs !== undefined ? { quietWindowMs: this.options.quietWindowMs } : {}),
    };
    const request: PullRequestCheckRequest = {
      checkId: check.id,
      headSha: check.headSha,
      baseRef: check.baseRef,
      baseSha: check.baseSha,
      requestedBy: check.requestedBy,
      requestedAt: check.requestedAt.toISOString(),
      headAt: check.headAt.toISOString(),
    };
    const fullName = `${target.owner}/${target.name}`;
    const signalWithStart = () =>
      this.client.workflow.signalWithStart(PR_SCAN_WORKFLOW, {
        workflowId: prScanWorkflowId(target.repoId, check.prNumber),
        taskQueue: this.taskQueue,
        args: [input],
        signal: pullRequestCheckRequested,
        signalArgs: [request],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        priority: { fairnessKey: scanFairnessKey(target.orgId) },
        typedSearchAttributes: [
          { key: RepoGuardOrgId, value: target.orgId },
          { key: RepoGuardRepoId, value: target.repoId },
          { key: RepoGuardRepo, value: fullName },
        ],
        staticSummary: `Check ${fullName}#${check.prNumber}`,
      });
    const { requestTimeoutMs } = this.options;
    try {
      await (requestTimeoutMs === undefined
        ? signalWithStart()
        : this.client.withDeadline(Date.now() + requestTimeoutMs, signalWithStart));
    } catch (error) {
      throw asEngineFailure(error, 'the check request');
    }
  }
}
