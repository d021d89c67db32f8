import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { repoScanWorkflowId } from '@repoguard/contract';
import type { ScanCanceller } from '@repoguard/domain';

/**
 * Cancels the repository's scan workflow (its latest run), never terminates it: a terminated run
 * records nothing, while a cancelled one records its scan as failed and its step in flight learns
 * of it at its next heartbeat. One that has closed or never ran is not found, which is what was
 * wanted. Each call gives up after `timeoutMs`, so a Temporal that is down cannot hold the request
 * that deleted something: the scan then ends at its next step.
 */
export class TemporalScanCanceller implements ScanCanceller {
  constructor(
    private readonly client: Client,
    private readonly log: (message: string) => void = () => undefined,
    private readonly timeoutMs = 5_000,
  ) {}

  async cancel(repoId: string, reason: string): Promise<void> {
    const workflowId = repoScanWorkflowId(repoId);
    const handle = this.client.workflow.getHandle(workflowId);
    try {
      await this.client.connection.withDeadline(Date.now() + this.timeoutMs, () => handle.cancel());
      this.log(`Cancelled ${workflowId}: ${reason}`);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      this.log(`Could not cancel ${workflowId} (${reason}): ${String(error)}; it ends at its next step`);
      throw error;
    }
  }
}
