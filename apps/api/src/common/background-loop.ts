/**
 * A loop of rounds in the background of an API process, for the work every process does on its own
 * (no leader): `round` answers how long to wait before the next one (0: at once), `onError` how long
 * after a round that threw; `stop` wakes a wait, aborts the signal a round was given (for calls that
 * would otherwise wait long on a peer that is down) and resolves once the round in flight has
 * ended, before the database pool closes.
 */
export class BackgroundLoop {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly round: (signal: AbortSignal) => Promise<number>,
    private readonly onError: (error: Error) => number,
  ) {}

  start(firstWaitMs = 0): void {
    this.loop = this.run(firstWaitMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(firstWaitMs: number): Promise<void> {
    let wait = firstWaitMs;
    for (;;) {
      if (wait > 0 && !this.stopped) await this.sleep(wait);
      if (this.stopped) return;
      try {
        wait = await this.round(this.stopping.signal);
      } catch (error) {
        wait = this.onError(error as Error);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
