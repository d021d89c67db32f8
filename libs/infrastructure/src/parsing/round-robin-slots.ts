/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

type Waiter = (release: ReleaseSlot) => void;

interface Waiting {
  readonly queue: Waiter[];
  /** When this caller was last given a slot (a grant counter); -1: not yet since it queued. */
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
  /** Callers with someone waiting; each queue is never empty. */
  private readonly waiting = new Map<Caller, Waiting>();

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
      const entry = this.waiting.get(caller);
      if (entry) entry.queue.push(waiter);
      else this.waiting.set(caller, { queue: [waiter], lastServed: -1 });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inUse < this.slots) {
      let next: [Caller, Waiting] | undefined;
      // Few callers wait at once (one per scan step in flight), so a scan beats a heap here.
      for (const candidate of this.waiting)
        if (next === undefined || candidate[1].lastServed < next[1].lastServed) next = candidate;
      if (next === undefined) return;
      const [caller, entry] = next;
      const waiter = entry.queue.shift()!;
      entry.lastServed = this.grants++;
      if (entry.queue.length === 0) this.waiting.delete(caller);
      this.inUse++;
      waiter(this.releaser());
    }
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse--;
      this.dispatch();
    };
  }

  private forget(caller: Caller, waiter: Waiter): void {
    const entry = this.waiting.get(caller);
    if (!entry) return;
    const index = entry.queue.indexOf(waiter);
    if (index !== -1) entry.queue.splice(index, 1);
    if (entry.queue.length === 0) this.waiting.delete(caller);
  }
}
