/**
 * At most `limit` holders per key at once (in this process); one over it is told at once instead
 * of queueing, so a burst holds no requests open.
 */
export class PerKeyLimit {
  private readonly held = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release function (idempotent), or null when `key` already has `limit` holders. */
  tryAcquire(key: string): (() => void) | null {
    const count = this.held.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  /** How many hold `key` now. */
  holders(key: string): number {
    return this.held.get(key) ?? 0;
  }
}
