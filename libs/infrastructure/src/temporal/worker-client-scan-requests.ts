import { Context } from '@temporalio/activity';
import type { ScanRequest } from '@repoguard/contract';
import { TemporalScanRequester, type ScanTarget } from './temporal-scan-requester';

/**
 * Scan requests sent from inside an activity, through the client the worker hands its activities:
 * the same signal-with-start the API uses, so they join a running scan like any other request.
 */
export class WorkerClientScanRequests {
  async requestScan(
    target: ScanTarget,
    request: ScanRequest,
    options: {
      readonly taskQueue: string;
      readonly timing?: { quietWindowMs?: number; maxWaitMs?: number; heartbeatTimeoutMs?: number };
    },
  ): Promise<void> {
    await new TemporalScanRequester(
      Context.current().client,
      options.taskQueue,
      options.timing ?? {},
    ).request(target, request);
  }
}
