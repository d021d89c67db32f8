import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { EXPIRE_TRIAGE_WORKFLOW, expireTriageWorkflowId, type ExpireTriageInput } from '@repoguard/contract';
import type { TriageExpiryTimer } from '@repoguard/domain';

/**
 * An ignore's expiry timer as a workflow (`expireTriageWorkflow`) whose id names the finding and
 * the expiry: a second start for the same one finds the first. Bounded, so a triage request does
 * not wait on a Temporal that is down (the client would retry for about half a minute).
 */
export class TemporalTriageExpiryTimer implements TriageExpiryTimer {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly startTimeoutMs = 5_000,
  ) {}

  async start(findingId: string, expiresAt: Date): Promise<void> {
    const input: ExpireTriageInput = { findingId, expiresAt: expiresAt.toISOString() };
    try {
      await this.client.withDeadline(Date.now() + this.startTimeoutMs, () =>
        this.client.workflow.start(EXPIRE_TRIAGE_WORKFLOW, {
          taskQueue: this.taskQueue,
          workflowId: expireTriageWorkflowId(findingId, expiresAt),
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          args: [input],
          staticSummary: `Ignore of finding ${findingId} expires at ${input.expiresAt}`,
        }),
      );
    } catch (error) {
      // A run for this expiry closed already: it did its work (or found nothing to do).
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
  }

  async cancel(findingId: string, expiresAt: Date): Promise<void> {
    try {
      await this.client.withDeadline(Date.now() + this.startTimeoutMs, () =>
        this.client.workflow.getHandle(expireTriageWorkflowId(findingId, expiresAt)).cancel(),
      );
    } catch (error) {
      // Never started (Temporal was down then) or already closed: nothing sleeps.
      if (error instanceof WorkflowNotFoundError) return;
      throw error;
    }
  }
}
