// A process as an orchestrator runs it: restarted whenever it exits on its own (counted), killed
// with SIGKILL when the chaos run says so (counted), and started again when told. Its output goes
// to one log file for all its lives, so a failed run can be read afterwards.
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';

export interface SupervisedProcessOptions {
  readonly name: string;
  /** Appended to across restarts. */
  readonly logFile: string;
  /** Starts one life of the process, its stdout and stderr on `output` (a file descriptor). */
  spawn(output: number): ChildProcess;
  /** One readiness probe: true once the process serves. */
  probe(): Promise<boolean>;
  /** A start that takes longer is killed and tried again (counted as a failed start). */
  readonly readyTimeoutMs: number;
  /** Pause before a restart the process did not ask for (an orchestrator's back-off). */
  readonly restartDelayMs?: number;
  readonly log: (line: string) => void;
}

export interface SupervisedProcessCounts {
  /** SIGKILLs sent by the chaos run. */
  readonly kills: number;
  /** Exits nobody asked for, after the process had become ready. */
  readonly crashes: number;
  /** Lives that ended (or were given up) before the process became ready. */
  readonly failedStarts: number;
  /** Lives started in all. */
  readonly starts: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SupervisedProcess {
  private wanted = false;
  private ready = false;
  private child: ChildProcess | null = null;
  private loop: Promise<void> | null = null;
  private counts = { kills: 0, crashes: 0, failedStarts: 0, starts: 0 };

  constructor(private readonly options: SupervisedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get stats(): SupervisedProcessCounts {
    return { ...this.counts };
  }

  /** Keeps the process running from now on; resolves once it is ready, with the time that took. */
  async start(timeoutMs = 5 * 60_000): Promise<number> {
    const started = Date.now();
    this.wanted = true;
    this.loop ??= this.supervise();
    await this.whenReady(timeoutMs);
    return Date.now() - started;
  }

  async whenReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready) {
      if (!this.wanted) throw new Error(`${this.name} is not wanted running`);
      if (Date.now() > deadline) throw new Error(`${this.name} was not ready within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** SIGKILL, as a machine or an OOM killer would: no shutdown hook runs. Stays down until `start`. */
  async kill(): Promise<void> {
    this.counts.kills++;
    await this.halt();
  }

  /** The end of the run: down for good, not counted as a kill. */
  async stop(): Promise<void> {
    await this.halt();
  }

  /** For an exit handler, which cannot wait: no process of the run outlives the run. */
  killNow(): void {
    this.wanted = false;
    this.child?.kill('SIGKILL');
  }

  private async halt(): Promise<void> {
    this.wanted = false;
    this.child?.kill('SIGKILL');
    await this.loop;
  }

  private async supervise(): Promise<void> {
    try {
      while (this.wanted) {
        const output = openSync(this.options.logFile, 'a');
        writeSync(
          output,
          `\n==== ${new Date().toISOString()} ${this.name}: start ${this.counts.starts + 1}\n`,
        );
        let child: ChildProcess;
        try {
          child = this.options.spawn(output);
        } finally {
          closeSync(output); // the child holds its own copy
        }
        this.child = child;
        this.counts.starts++;
        const exit = new Promise<string>((resolve) =>
          child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)),
        );
        let exited: string | null = null;
        void exit.then((how) => (exited = how));

        if (await this.becomesReady(() => exited !== null)) {
          this.ready = true;
          const how = await exit;
          this.ready = false;
          if (this.wanted) {
            this.counts.crashes++;
            this.options.log(`${this.name} exited on its own (${how}); restarting`);
          }
        } else {
          child.kill('SIGKILL');
          const how = await exit;
          if (this.wanted) {
            this.counts.failedStarts++;
            this.options.log(`${this.name} did not become ready (${how}); restarting`);
          }
        }
        this.child = null;
        if (this.wanted) await sleep(this.options.restartDelayMs ?? 1_000);
      }
    } finally {
      this.ready = false;
      this.loop = null;
    }
  }

  private async becomesReady(hasExited: () => boolean): Promise<boolean> {
    const deadline = Date.now() + this.options.readyTimeoutMs;
    while (this.wanted && !hasExited() && Date.now() < deadline) {
      if (await this.options.probe().catch(() => false)) return !hasExited();
      await sleep(250);
    }
    return false;
  }
}
