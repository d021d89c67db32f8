// Past this many slots probed for one key, the keys collide (crafted, or bad luck) and the index
// moves onto a Map for good, so no input makes a lookup cost more than this.
const MAX_PROBES = 64;
const INITIAL_CAPACITY = 16;
const TOO_FAR = Number.MIN_SAFE_INTEGER;

/**
 * Strings to non-negative integers (indexes into the caller's arrays) for the hundreds of
 * thousands of distinct keys a large manifest brings. A Map that size cost a parser more than its
 * reading: each lookup follows chained entries to other objects. Here a lookup probes one flat
 * table of hashes and values, and reads a stored key only when its hash agrees. The hash is seeded
 * per index; results never depend on it.
 */
export class StringIndex {
  private capacity = INITIAL_CAPACITY;
  /** Per slot: the key's hash, then its value + 1 (0 marks an empty slot). */
  private table = new Int32Array(2 * INITIAL_CAPACITY);
  private keys: (string | undefined)[] = new Array<string | undefined>(INITIAL_CAPACITY);
  private size = 0;
  private readonly seed = (Math.random() * 0x1_0000_0000) | 0;
  private fallback: Map<string, number> | undefined;

  /** `maxProbes` is for tests, which reach the Map without crafting colliding keys. */
  constructor(private readonly maxProbes = MAX_PROBES) {}

  get(key: string): number | undefined {
    if (!this.fallback) {
      const slot = this.find(key, this.hash(key));
      if (slot !== TOO_FAR) return slot < 0 ? undefined : this.valueAt(slot);
      this.moveToMap();
    }
    return (this.fallback as Map<string, number>).get(key);
  }

  /** The value recorded for `key`, or undefined after recording `value` (0 to 2^31 - 2) for it. */
  getOrAdd(key: string, value: number): number | undefined {
    if (!this.fallback) {
      const hash = this.hash(key);
      const slot = this.find(key, hash);
      if (slot >= 0) return this.valueAt(slot);
      if (slot !== TOO_FAR) {
        this.store(-1 - slot, key, hash, value);
        if (++this.size * 2 > this.capacity) this.grow();
        return undefined;
      }
      this.moveToMap();
    }
    const map = this.fallback as Map<string, number>;
    const known = map.get(key);
    if (known === undefined) map.set(key, value);
    return known;
  }

  /** The key's slot, or -1 - the empty slot where it would go, or TOO_FAR. */
  private find(key: string, hash: number): number {
    const mask = this.capacity - 1;
    for (let slot = hash & mask, probes = 0; ; slot = (slot + 1) & mask) {
      if (this.table[2 * slot + 1] === 0) return -1 - slot;
      if (this.table[2 * slot] === hash && this.keys[slot] === key) return slot;
      if (++probes > this.maxProbes) return TOO_FAR;
    }
  }

  private valueAt(slot: number): number {
    return (this.table[2 * slot + 1] as number) - 1;
  }

  private store(slot: number, key: string, hash: number, value: number): void {
    this.table[2 * slot] = hash;
    this.table[2 * slot + 1] = value + 1;
    this.keys[slot] = key;
  }

  private grow(): void {
    const { keys, table } = this;
    this.capacity *= 2;
    this.table = new Int32Array(2 * this.capacity);
    this.keys = new Array<string | undefined>(this.capacity);
    const mask = this.capacity - 1;
    keys.forEach((key, old) => {
      if (key === undefined) return;
      const hash = table[2 * old] as number;
      let slot = hash & mask;
      while (this.table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      this.store(slot, key, hash, (table[2 * old + 1] as number) - 1);
    });
  }

  private moveToMap(): void {
    const map = new Map<string, number>();
    this.keys.forEach((key, slot) => {
      if (key !== undefined) map.set(key, this.valueAt(slot));
    });
    this.fallback = map;
  }

  /** FNV-1a over the UTF-16 units from the seed, then murmur3's finaliser so every bit counts. */
  private hash(key: string): number {
    let h = this.seed ^ 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }
}
