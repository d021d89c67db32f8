import { isObject } from '../../../shared/is-object';
import type { YamlEntry } from './yaml-lock-document';

/** A lock file read as plain data, and the entries of the maps lock readers list. */
export interface YamlLockEvents {
  /** The document's content: strings, arrays and plain objects; null for an empty document. */
  readonly root: unknown;
  /** Entries of the top-level mapping, in document order. */
  readonly rootEntries: readonly YamlEntry[];
  /** Entries of each mapping that is the value of a top-level key, by that key. */
  readonly childEntries: ReadonlyMap<string, readonly YamlEntry[]>;
  /** The plain value under a top-level key (null when absent; undefined when the root is no mapping). */
  get(key: string): unknown;
  /** The entries of a mapping under a top-level key named in `keyed`, by key. */
  keyed(key: string): ReadonlyMap<string, YamlEntry> | undefined;
}

/** A listed entry while its value is being read. */
interface OpenEntry {
  key: string;
  value: unknown;
  line: number;
}

type Frame =
  | {
      readonly kind: 'map';
      readonly value: Record<string, unknown>;
      key: string | undefined;
      readonly listed: OpenEntry[] | undefined;
    }
  | {
      /** A mapping under a top-level key named in `keyed`: its entries only, no plain object. */
      readonly kind: 'keyed';
      readonly value: Map<string, OpenEntry>;
      key: string | undefined;
      readonly listed: OpenEntry[];
    }
  | { readonly kind: 'seq'; readonly value: unknown[] };

/** Sets `key` on a plain object; `__proto__` as a plain assignment would replace its prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty for every key would leave the objects in slow dictionary mode.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function toPlain(entries: ReadonlyMap<string, OpenEntry>): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const entry of entries.values()) setOwn(value, entry.key, entry.value);
  return value;
}

/**
 * Builds a lock file's data from a stream of scalars, opened and closed collections, whichever
 * reader produced them (js-yaml's events, or the block reader for the subset lock writers emit),
 * so both readers give the same data by construction.
 *
 * The mappings under the top-level keys named in `keyed` (a lock's thousands of packages) are kept
 * as entries by key, and made plain objects only when asked for: V8 interns every key written to
 * an object, and an object of thousands of keys is a slow dictionary.
 */
export class YamlLockTree {
  private rootEntries: OpenEntry[] = [];
  private readonly childEntries = new Map<string, OpenEntry[]>();
  private readonly keyedChildren = new Map<string, Map<string, OpenEntry>>();
  private readonly stack: Frame[] = [];
  private root: unknown = null;

  /** `lineOf`: the line of a key from the position its reader gives (an offset, or the line itself). */
  constructor(
    private readonly keyed: readonly string[],
    private readonly lineOf: (position: number) => number,
  ) {}

  /** Collections open now. */
  get depth(): number {
    return this.stack.length;
  }

  /**
   * A scalar: the key where the innermost mapping waits for one, else a value. False for a key
   * its mapping already holds, which lock files never repeat.
   */
  scalar(value: string, position: number): boolean {
    const parent = this.stack[this.stack.length - 1];
    const isKey = parent !== undefined && parent.kind !== 'seq' && parent.key === undefined;
    if (!this.add(value)) return false;
    if (isKey && parent.listed) {
      const entry: OpenEntry = { key: value, value: null, line: this.lineOf(position) };
      parent.listed.push(entry);
      if (parent.kind === 'keyed') parent.value.set(value, entry);
    }
    return true;
  }

  /** Opens a mapping or a sequence; false where a key is due (a collection as key). */
  open(kind: 'map' | 'seq'): boolean {
    const parent = this.stack[this.stack.length - 1];
    if (parent !== undefined && parent.kind !== 'seq' && parent.key === undefined) return false;
    if (kind === 'seq') {
      const value: unknown[] = [];
      this.add(value);
      this.stack.push({ kind: 'seq', value });
      return true;
    }
    // Listed: the root mapping and the mappings directly under its keys.
    let listed: OpenEntry[] | undefined;
    if (this.stack.length === 0) listed = this.rootEntries = [];
    else if (this.stack.length === 1 && parent?.kind === 'map' && parent.key !== undefined) {
      listed = [];
      this.childEntries.set(parent.key, listed);
      if (this.keyed.includes(parent.key)) {
        // Until asked for, the root holds the entries themselves in place of the object.
        const value = new Map<string, OpenEntry>();
        this.keyedChildren.set(parent.key, value);
        this.add(value);
        this.stack.push({ kind: 'keyed', value, key: undefined, listed });
        return true;
      }
    }
    const value: Record<string, unknown> = {};
    this.add(value);
    this.stack.push({ kind: 'map', value, key: undefined, listed });
    return true;
  }

  close(): void {
    this.stack.pop();
  }

  finish(): YamlLockEvents {
    return new EventsResult(this.root, this.rootEntries, this.childEntries, this.keyedChildren);
  }

  private add(value: unknown): boolean {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.root = value;
      return true;
    }
    if (parent.kind === 'seq') {
      parent.value.push(value);
      return true;
    }
    if (parent.key === undefined) {
      if (typeof value !== 'string') return false;
      if (parent.kind === 'keyed' ? parent.value.has(value) : Object.hasOwn(parent.value, value))
        return false;
      parent.key = value;
      return true;
    }
    if (parent.listed) (parent.listed[parent.listed.length - 1] as OpenEntry).value = value;
    if (parent.kind === 'map') setOwn(parent.value, parent.key, value);
    parent.key = undefined;
    return true;
  }
}

class EventsResult implements YamlLockEvents {
  private unmade: number;

  constructor(
    private readonly data: unknown,
    private readonly listedRoot: readonly OpenEntry[],
    readonly childEntries: ReadonlyMap<string, readonly YamlEntry[]>,
    private readonly keyedChildren: ReadonlyMap<string, ReadonlyMap<string, OpenEntry>>,
  ) {
    this.unmade = keyedChildren.size;
  }

  get root(): unknown {
    if (this.unmade > 0) for (const key of this.keyedChildren.keys()) this.get(key);
    return this.data;
  }

  get rootEntries(): readonly YamlEntry[] {
    if (this.unmade > 0) for (const key of this.keyedChildren.keys()) this.get(key);
    return this.listedRoot;
  }

  get(key: string): unknown {
    const root = this.data;
    if (!isObject(root)) return undefined;
    if (!Object.hasOwn(root, key)) return null;
    const value = root[key];
    if (!(value instanceof Map)) return value;
    // A keyed mapping, asked for as plain data: made once, in the root and its entry alike.
    const plain = toPlain(value as ReadonlyMap<string, OpenEntry>);
    setOwn(root, key, plain);
    const entry = this.listedRoot.find((candidate) => candidate.key === key);
    if (entry) entry.value = plain;
    this.unmade--;
    return plain;
  }

  keyed(key: string): ReadonlyMap<string, YamlEntry> | undefined {
    return this.keyedChildren.get(key);
  }
}
