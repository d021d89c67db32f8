/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

type Waiter = (release: ReleaseSlot) => void;

interface CallerState {
  readonly queue: Waiter[];
  /** Slots this caller holds now. */
  held: number;
  /** When this caller was last given a slot (a grant counter); -1: never. */
  lastServed: number;
}

/**
 * A fixed number of slots handed to callers in turn: each caller's requests wait in their own
 * queue, and a freed slot goes to the waiting caller served longest ago (a newcomer first), not to
 * whoever asked first. One caller alone may use every slot; once another asks, it gets the next
 * slot that frees, and from then on they alternate.
 */
export class RoundRobinSlots<Caller> {
  private inUse = 0;
  private grants = 0;
  /** Callers waiting or holding a slot; forgotten when neither. */
  private readonly callers = new Map<Caller, CallerState>();

  constructor(private readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError('slots must be a positive integer');
  }

  /** Resolves when `caller` holds a slot; rejects with the signal's reason if it aborts first. */
  acquire(caller: Caller, signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.forget(caller, waiter);
        reject(signal!.reason as Error);
      };
      const waiter: Waiter = (release) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const state = this.callers.get(caller);
      if (state) state.queue.push(waiter);
      else this.callers.set(caller, { queue: [waiter], held: 0, lastServed: -1 });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inUse < this.slots) {
      let next: [Caller, CallerState] | undefined;
      // Few callers at once (one per parse step in flight): a linear search is enough.
      for (const candidate of this.callers) {
        if (candidate[1].queue.length === 0) continue;
        if (next === undefined || candidate[1].lastServed < next[1].lastServed) next = candidate;
      }
      if (next === undefined) return;
      const [caller, state] = next;
      const waiter = state.queue.shift()!;
      state.lastServed = this.grants++;
      state.held++;
      this.inUse++;
      waiter(this.releaser(caller, state));
    }
  }

  private releaser(caller: Caller, state: CallerState): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      state.held--;
      this.forgetIfIdle(caller, state);
      this.dispatch();
    };
  }

  private forget(caller: Caller, waiter: Waiter): void {
    const state = this.callers.get(caller);
    if (!state) return;
    const index = state.queue.indexOf(waiter);
    if (index !== -1) state.queue.splice(index, 1);
    this.forgetIfIdle(caller, state);
  }

  private forgetIfIdle(caller: Caller, state: CallerState): void {
    if (state.queue.length === 0 && state.held === 0) this.callers.delete(caller);
  }
}
