import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  DELIVER_NOTIFICATION_WORKFLOW,
  deliverNotificationWorkflowId,
  type DeliverNotificationInput,
} from '@repoguard/contract';
import type { NotificationDeliveryStarter } from '@repoguard/domain';

/**
 * Starts `deliverNotificationWorkflow` for one delivery row. The workflow id is the delivery's and
 * is never reused: a second start (another API replica, a tick after a lost acknowledgement) finds
 * the first run, open or closed, and sends nothing. Each call gives up after `timeoutMs`, so a
 * Temporal that is down holds the dispatcher up no longer than that.
 */
export class TemporalNotificationDeliveryStarter implements NotificationDeliveryStarter {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async start(deliveryId: string): Promise<void> {
    const input: DeliverNotificationInput = { deliveryId };
    try {
      await this.client.connection.withDeadline(Date.now() + this.timeoutMs, () =>
        this.client.workflow.start(DELIVER_NOTIFICATION_WORKFLOW, {
          taskQueue: this.taskQueue,
          workflowId: deliverNotificationWorkflowId(deliveryId),
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [input],
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
  }
}
