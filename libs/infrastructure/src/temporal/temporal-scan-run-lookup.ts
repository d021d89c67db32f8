import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, type Payload } from '@temporalio/common';
import type { ScanRunLookup, ScanRunState, UnfinishedScan } from '@repoguard/domain';

/** Continue-as-new hops followed from a row's run before it is left for the next round. */
const MAX_HOPS = 20;

/**
 * Tells whether a scan's workflow run may still serve it: the row's run (or the run that promised
 * it to its follow-up), then each continue-as-new that handed the same scan id on, until a run that
 * is running (`open`) or one that closed any other way or is gone (`ended`). Every call is bounded
 * by `timeoutMs`; an error (Temporal out of reach) is thrown, so the caller tries again later.
 */
export class TemporalScanRunLookup implements ScanRunLookup {
  constructor(
    private readonly client: Client,
    private readonly timeoutMs = 5_000,
  ) {}

  async stateOf(scan: UnfinishedScan): Promise<ScanRunState> {
    let runId = scan.runId ?? scan.promisedByRunId;
    // A row queued before rows named the promising run: only the latest run can tell.
    if (!runId) return (await this.status(scan.workflowId, undefined)) === 'RUNNING' ? 'open' : 'ended';
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const status = await this.status(scan.workflowId, runId);
      if (status === 'RUNNING') return 'open';
      if (status !== 'CONTINUED_AS_NEW') return 'ended';
      const next = await this.continuedWith(scan.workflowId, runId);
      // The follow-up run serves the scan only when it was handed this scan id.
      if (!next || next.scanId !== scan.scanId) return 'ended';
      runId = next.runId;
    }
    return 'open';
  }

  private async status(workflowId: string, runId: string | undefined): Promise<string | null> {
    try {
      const description = await this.bounded(() =>
        this.client.workflow.getHandle(workflowId, runId).describe(),
      );
      return description.status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** The run a continue-as-new started and the scan id it handed it, from the run's last event. */
  private async continuedWith(
    workflowId: string,
    runId: string,
  ): Promise<{ runId: string; scanId: string | undefined } | null> {
    const response = await this.bounded(() =>
      this.client.workflowService.getWorkflowExecutionHistoryReverse({
        namespace: this.client.options.namespace,
        execution: { workflowId, runId },
        maximumPageSize: 1,
      }),
    );
    const attributes = response.history?.events?.[0]?.workflowExecutionContinuedAsNewEventAttributes;
    if (!attributes?.newExecutionRunId) return null;
    const input = await this.decodeFirst(attributes.input?.payloads ?? []);
    const scanId = (input as { scanId?: unknown } | undefined)?.scanId;
    return { runId: attributes.newExecutionRunId, scanId: typeof scanId === 'string' ? scanId : undefined };
  }

  private async decodeFirst(payloads: Payload[]): Promise<unknown> {
    const { payloadConverter, payloadCodecs } = this.client.options.loadedDataConverter;
    let decoded = payloads;
    for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return decoded[0] ? payloadConverter.fromPayload(decoded[0]) : undefined;
  }

  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + this.timeoutMs, call);
  }
}
