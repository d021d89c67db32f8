// A workflow bundle for the digest and rescan tests: the real sendDigestWorkflow and
// rescanOrgWorkflow, and a stand-in for deliverNotificationWorkflow (the real one lives with the
// channels), which hands its row to a test activity that marks it and records what it got.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { DeliverNotificationInput } from '@repoguard/contract';

export { sendDigestWorkflow } from '../../../libs/workflows/src/send-digest.workflow';
export { rescanOrgWorkflow } from '../../../libs/workflows/src/rescan-org.workflow';

export interface StandInDeliveryActivities {
  /** Marks the delivery row as the test wants it; answers whether it was delivered. */
  standInDeliver(input: DeliverNotificationInput): Promise<{ delivered: boolean }>;
}

const { standInDeliver } = proxyActivities<StandInDeliveryActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

export async function deliverNotificationWorkflow(input: DeliverNotificationInput): Promise<void> {
  const { delivered } = await standInDeliver(input);
  if (!delivered) throw ApplicationFailure.nonRetryable('the receiver refused the digest', 'DELIVERY_FAILED');
}

/**
 * The rescans' scan requests signal-with-start repo-scan workflows on this queue: this stand-in
 * ends each at once (what a scan does is the scan suites' business; here only the request counts).
 */
export async function repoScanWorkflow(): Promise<void> {}
