/** `0-9`, `A-Z` and `_`: what a `${NAME}` may be made of. */
function isEnvNameChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || code === 0x5f;
}

// Past this many slots probed for one reference, the line's references collide (crafted, or bad
// luck) and the rest of the line is kept apart by a Set, so no line makes a lookup cost more.
const MAX_PROBES = 64;
const INITIAL_CAPACITY = 64;
/** Int32 fields per slot: the line it was filled on, the hash, where the reference starts, its length. */
const FIELDS = 4;

/**
 * Expands `${NAME}` references line by line, listing each unset one once per line in first-seen
 * order. A line may hold thousands of distinct references: a Set per line cost more than the rest of
 * the parse (each insertion ~200 ns), so the references are told apart in one flat table kept for
 * the whole file, compared where they stand in the line, and cleared by counting lines rather than
 * by writing. The hash is seeded per expander; results never depend on it.
 */
export class EnvVarExpander {
  private capacity = INITIAL_CAPACITY;
  private slots = new Int32Array(FIELDS * INITIAL_CAPACITY);
  /** The current line's number in `slots`; a slot holding another is empty. */
  private generation = 0;
  private size = 0;
  private readonly seed = (Math.random() * 0x1_0000_0000) | 0;

  /** `maxProbes` is for tests, which reach the Set without crafting colliding references. */
  constructor(
    private readonly env: Readonly<Record<string, string>> | undefined,
    private readonly maxProbes = MAX_PROBES,
  ) {}

  /**
   * The line with each `${NAME}` (upper-case letters, digits, `_`) set in the environment
   * replaced; the references to names not set are pushed to `unknown` as written (`${NAME}`), each
   * once, and left in place. No new string unless something was replaced.
   */
  expand(text: string, unknown: string[]): string {
    this.startLine();
    let fallback: Set<string> | undefined;
    let expanded = '';
    let copied = 0;
    for (let at = text.indexOf('${'); at !== -1;) {
      let end = at + 2;
      let hash = this.seed ^ 0x811c9dc5;
      for (let code = text.charCodeAt(end); end < text.length && isEnvNameChar(code);) {
        hash = Math.imul(hash ^ code, 0x01000193);
        code = text.charCodeAt(++end);
      }
      if (end === at + 2 || text.charCodeAt(end) !== 0x7d) {
        // Name characters hold no `$`: the next reference starts at `end` at the earliest.
        at = text.indexOf('${', end);
        continue;
      }
      const name = this.env ? text.slice(at + 2, end) : '';
      if (this.env && Object.hasOwn(this.env, name)) {
        expanded += text.slice(copied, at) + this.env[name];
        copied = end + 1;
      } else {
        const added = fallback ? undefined : this.addFirst(text, at, end + 1 - at, finalHash(hash));
        if (added === true) unknown.push(text.slice(at, end + 1));
        else if (added === undefined) {
          fallback ??= new Set(unknown);
          const reference = text.slice(at, end + 1);
          if (!fallback.has(reference)) {
            unknown.push(reference);
            fallback.add(reference);
          }
        }
      }
      at = text.indexOf('${', end + 1);
    }
    return copied === 0 ? text : expanded + text.slice(copied);
  }

  private startLine(): void {
    this.size = 0;
    if (++this.generation === 0x7fff_ffff) {
      this.slots.fill(0);
      this.generation = 1;
    }
  }

  /** True when the reference at `start` is the line's first of its text, false when met before, undefined when the probes run out. */
  private addFirst(text: string, start: number, length: number, hash: number): boolean | undefined {
    const { slots, generation } = this;
    const mask = this.capacity - 1;
    for (let slot = hash & mask, probes = 0; ; slot = (slot + 1) & mask) {
      const base = FIELDS * slot;
      if (slots[base] !== generation) {
        this.store(base, hash, start, length);
        if (++this.size * 2 > this.capacity) this.grow();
        return true;
      }
      if (
        slots[base + 1] === hash &&
        slots[base + 3] === length &&
        sameText(text, slots[base + 2] as number, start, length)
      ) {
        return false;
      }
      if (++probes > this.maxProbes) return undefined;
    }
  }

  private store(base: number, hash: number, start: number, length: number): void {
    const { slots } = this;
    slots[base] = this.generation;
    slots[base + 1] = hash;
    slots[base + 2] = start;
    slots[base + 3] = length;
  }

  /** Doubles the table, moving the current line's references (their hashes place them). */
  private grow(): void {
    const old = this.slots;
    const { generation } = this;
    this.capacity *= 2;
    this.slots = new Int32Array(FIELDS * this.capacity);
    const mask = this.capacity - 1;
    for (let base = 0; base < old.length; base += FIELDS) {
      if (old[base] !== generation) continue;
      const hash = old[base + 1] as number;
      let slot = hash & mask;
      while (this.slots[FIELDS * slot] === generation) slot = (slot + 1) & mask;
      this.store(FIELDS * slot, hash, old[base + 2] as number, old[base + 3] as number);
    }
  }
}

/** murmur3's finaliser, so every bit of the FNV-1a hash counts in the low bits used as a slot. */
function finalHash(hash: number): number {
  let h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}
