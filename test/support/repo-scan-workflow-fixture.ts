// One workflow test's repository scan on the dev server: a task queue named after the test, a
// worker running the happy-path steps under the test's stubs (and, when asked, an activities-only
// worker on a re-match queue beside it), every step call recorded, and the workflow's requests.
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { RepoScanInput } from '@repoguard/contract';
import { RepoScanClient, repoScanInput, type RepoScanStartOptions } from './repo-scan-client';
import {
  recordedSteps,
  scanHappyPath,
  type ScanActivities,
  type StepCall,
  type StepInput,
  type StepName,
} from './scan-step-stubs';
import { uniqueName, workflowBundle, type TemporalHarness } from './temporal-harness';

export interface RepoScanFixtureOptions {
  /** The steps this test's branch needs, over the happy path. */
  readonly stubs?: Partial<ScanActivities>;
  readonly input?: Partial<RepoScanInput>;
  /** A second worker on the re-match queue, for the tests that route steps there. */
  readonly rematchWorker?: boolean;
  readonly worker?: Partial<WorkerOptions>;
  readonly start?: RepoScanStartOptions;
}

/** What `create` builds a fixture from. */
export interface RepoScanFixtureParts {
  readonly temporal: Pick<TemporalHarness, 'client' | 'createWorker'>;
  readonly taskQueue: string;
  readonly input: RepoScanInput;
  readonly start?: RepoScanStartOptions;
  readonly activities: object;
  readonly calls: readonly StepCall[];
  readonly workers: Worker[];
}

/** A spec adds what only its tests ask of the scan by extending this class. */
export class RepoScanFixture extends RepoScanClient {
  readonly rematchQueue: string;
  readonly calls: readonly StepCall[];
  protected readonly temporal: RepoScanFixtureParts['temporal'];
  private readonly activities: object;
  private readonly workers: Worker[];
  private running: Promise<void>[] | undefined;

  constructor(parts: RepoScanFixtureParts) {
    super(parts.temporal.client, parts.taskQueue, parts.input, parts.start);
    this.rematchQueue = `${parts.taskQueue}-rematch`;
    this.temporal = parts.temporal;
    this.activities = parts.activities;
    this.calls = parts.calls;
    this.workers = parts.workers;
  }

  static async create<F extends RepoScanFixture>(
    this: new (parts: RepoScanFixtureParts) => F,
    temporal: RepoScanFixtureParts['temporal'],
    options: RepoScanFixtureOptions = {},
  ): Promise<F> {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'repo-scan');
    const { activities, calls } = recordedSteps({ ...scanHappyPath, ...options.stubs });
    const worker = await temporal.createWorker({ taskQueue, activities, ...options.worker });
    const input = repoScanInput(taskQueue, options.input);
    const parts = { temporal, taskQueue, input, start: options.start, activities, calls, workers: [worker] };
    const fixture = new this(parts);
    if (options.rematchWorker) await fixture.addRematchWorker();
    return fixture;
  }

  /** Workers free up on the re-match queue (at once, when the others are already running). */
  async addRematchWorker(): Promise<void> {
    const worker = await this.temporal.createWorker({
      taskQueue: this.rematchQueue,
      activities: this.activities,
      // Activities only: a worker without workflows starts in a fraction of the time.
      workflowBundle: undefined,
    });
    this.workers.push(worker);
    this.running?.push(worker.run());
  }

  /** Runs the workers until `work` is done (queries need a worker too). */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.workers.reduce<Promise<T>>((until, worker) => worker.runUntil(until), work());
  }

  /** Runs the workers in the background until `stop`: for tests that let the workflow go its way. */
  start(): this {
    this.running ??= this.workers.map((worker) => worker.run());
    return this;
  }

  /** Ends the workflow if a failing test left it running, then the workers. */
  async stop(): Promise<void> {
    await this.handle.terminate('test over').catch(() => undefined);
    for (const worker of this.workers) worker.shutdown();
    await Promise.allSettled(this.running ?? []);
  }

  called(step: StepName): StepCall[] {
    return this.calls.filter((c) => c.step === step);
  }

  inputsOf<K extends StepName>(step: K): StepInput<K>[] {
    return this.called(step).map((c) => c.input as unknown as StepInput<K>);
  }

  stepsCalled(): StepName[] {
    return this.calls.map((c) => c.step);
  }

  /** The activity types the last run scheduled, in order (what the workflow asked for, not what ran inside). */
  async scheduledActivities(): Promise<string[]> {
    const history = await this.client.workflow
      .getHandle(this.workflowId, await this.lastRunId())
      .fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
  }

  queuesUsed(): Set<string> {
    return new Set(this.calls.map((c) => c.taskQueue));
  }

  /**
   * Each run (by default those the requests reached and the last) replays against the workflow
   * code: the branches a test took stay deterministic.
   */
  async replay(runs?: Iterable<string | { readonly runId: string }>): Promise<void> {
    if (!runs) this.requestedRuns.add(await this.lastRunId());
    for (const run of runs ?? this.requestedRuns) {
      const runId = typeof run === 'string' ? run : run.runId;
      const history = await this.client.workflow.getHandle(this.workflowId, runId).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, runId);
    }
  }
}
