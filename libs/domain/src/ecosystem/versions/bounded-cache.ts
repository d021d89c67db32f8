/**
 * Memo of parsed versions. The matcher compares the same few thousand strings millions of times,
 * so parsing once per string matters; the bound keeps a long-running worker's memory flat.
 * Eviction is first-in-first-out: cheaper than LRU bookkeeping on every hit, and a re-parse is cheap.
 */
export class BoundedCache<V extends NonNullable<unknown> | null> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 50_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`BoundedCache capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`, computing (and remembering) it on a miss. */
  get(key: string, compute: (key: string) => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
