// One repository's scan workflow as a test or history scenario drives it: requests sent as the API
// and the webhooks send them (signal-with-start), and the runs they reached. Relative imports only:
// the history recorder loads this outside Jest's module mapper.
import type { Client, WorkflowHandle, WorkflowSignalWithStartOptions } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import {
  REPO_SCAN_WORKFLOW,
  scanRequestedSignal,
  type RepoScanInput,
  type RepoScanResult,
  type ScanRequest,
} from '../../libs/contract/src/repo-scan.contract';
import type { repoScanWorkflow } from '../../libs/workflows/src/repo-scan.workflow';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What a test's signal-with-start sets beyond the request (timeouts, the conflict policy). */
export type RepoScanStartOptions = Partial<
  Pick<WorkflowSignalWithStartOptions<[ScanRequest]>, 'workflowTaskTimeout' | 'workflowIdConflictPolicy'>
>;

/** The input of a test repository's workflow (acme/payments), scanned after a short quiet window. */
export const repoScanInput = (repoId: string, input: Partial<RepoScanInput> = {}): RepoScanInput => ({
  orgId: 'org-1',
  repoId,
  owner: 'acme',
  name: 'payments',
  quietWindowMs: 300,
  maxWaitMs: 5_000,
  ...input,
});

export class RepoScanClient {
  readonly workflowId: string;
  readonly handle: WorkflowHandle<typeof repoScanWorkflow>;
  /** The runs the requests reached, in the order they were first reached. */
  readonly requestedRuns = new Set<string>();

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    readonly input: RepoScanInput,
    private readonly startOptions: RepoScanStartOptions = {},
  ) {
    // As production names it: one workflow per repository (tests give each its own repository id).
    this.workflowId = `repo-scan:${input.repoId}`;
    this.handle = client.workflow.getHandle(this.workflowId);
  }

  /** The run the first request reached. */
  get firstRunId(): string {
    const [first] = this.requestedRuns;
    if (!first) throw new Error('no request sent yet');
    return first;
  }

  /** As the API and the webhooks ask: signal-with-start, joining a running scan. The run it reached. */
  async request(request: ScanRequest): Promise<string> {
    const started = await this.client.workflow.signalWithStart<typeof repoScanWorkflow, [ScanRequest]>(
      REPO_SCAN_WORKFLOW,
      {
        workflowId: this.workflowId,
        taskQueue: this.taskQueue,
        args: [this.input],
        signal: scanRequestedSignal,
        signalArgs: [request],
        ...this.startOptions,
      },
    );
    this.requestedRuns.add(started.signaledRunId);
    return started.signaledRunId;
  }

  /** The last run's result, following continue-as-new. */
  result(): Promise<RepoScanResult> {
    return this.handle.result();
  }

  async lastRunId(): Promise<string> {
    return (await this.handle.describe()).runId;
  }

  async events(runId: string): Promise<HistoryEvent[]> {
    return (await this.client.workflow.getHandle(this.workflowId, runId).fetchHistory()).events ?? [];
  }

  /** Every run from `firstRunId` on, following continue-as-new, with its history's events. */
  async chain(firstRunId = this.firstRunId): Promise<{ runId: string; events: HistoryEvent[] }[]> {
    const runs: { runId: string; events: HistoryEvent[] }[] = [];
    for (let runId: string | null | undefined = firstRunId; runId;) {
      const events = await this.events(runId);
      runs.push({ runId, events });
      runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    }
    return runs;
  }
}
