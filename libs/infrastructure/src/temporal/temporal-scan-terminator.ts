import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { repoScanWorkflowId } from '@repoguard/contract';
import type { ScanTerminator } from '@repoguard/domain';

/**
 * Terminates the repository's scan workflow (its latest run). One that has closed or never ran is
 * not found, which is what was wanted. Each call gives up after `timeoutMs`, so a Temporal that is
 * down cannot hold the request that deleted something: the scan then ends at its next step.
 */
export class TemporalScanTerminator implements ScanTerminator {
  constructor(
    private readonly client: Client,
    private readonly warn: (message: string) => void = () => undefined,
    private readonly timeoutMs = 5_000,
  ) {}

  async terminate(repoId: string, reason: string): Promise<void> {
    const workflowId = repoScanWorkflowId(repoId);
    const handle = this.client.workflow.getHandle(workflowId);
    try {
      await this.client.connection.withDeadline(Date.now() + this.timeoutMs, () => handle.terminate(reason));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      this.warn(`Could not terminate ${workflowId} (${reason}): ${String(error)}; it ends at its next step`);
      throw error;
    }
  }
}
