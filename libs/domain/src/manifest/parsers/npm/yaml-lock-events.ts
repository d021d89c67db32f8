import { EVENT_ID, type Event, getScalarValue, parseEvents } from 'js-yaml';
import { isObject } from '../../../shared/is-object';
import type { YamlEntry } from './yaml-lock-document';

/** A lock file read from js-yaml's events: plain data, and the entries of the maps lock readers list. */
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
 * Reads a lock file from js-yaml's flat event stream, about ten times faster than the yaml
 * library composes a document. Only the YAML lock files are written in is taken: anything else
 * (a syntax error, several documents, directives, anchors, aliases, tags, a collection as key or a
 * repeated key) gives undefined, and the caller reads the text with the yaml library, whose
 * diagnostics and recovery it already relies on.
 *
 * The mappings under the top-level keys named in `keyed` (a lock's thousands of packages) are kept
 * as entries by key, and made plain objects only when asked for: V8 interns every key written to
 * an object, and an object of thousands of keys is a slow dictionary.
 */
export function readYamlLockEvents(
  source: string,
  maxDepth: number,
  keyed: readonly string[] = [],
): YamlLockEvents | undefined {
  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth });
  } catch {
    return undefined;
  }
  let rootEntries: OpenEntry[] = [];
  const childEntries = new Map<string, OpenEntry[]>();
  const keyedChildren = new Map<string, Map<string, OpenEntry>>();
  const stack: Frame[] = [];
  // Key offsets arrive in document order, so one forward cursor turns them into line numbers.
  let cursor = 0;
  let line = 1;
  const lineAt = (offset: number) => {
    for (let i = source.indexOf('\n', cursor); i !== -1 && i < offset; i = source.indexOf('\n', i + 1))
      line++;
    cursor = Math.max(cursor, offset);
    return line;
  };
  let root: unknown = null;
  let documents = 0;

  const add = (value: unknown): boolean => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      root = value;
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
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || event.directives.length > 0) return undefined;
        break;
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.SCALAR: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) return undefined;
        const parent = stack[stack.length - 1];
        const isKey = parent !== undefined && parent.kind !== 'seq' && parent.key === undefined;
        const value = getScalarValue(source, event);
        if (!add(value)) return undefined;
        if (isKey && parent.listed) {
          // An empty key has no offset of its own; the mapping's previous key is as close as it gets.
          const offset = event.valueStart === -1 ? cursor : event.valueStart;
          const entry: OpenEntry = { key: value, value: null, line: lineAt(offset) };
          parent.listed.push(entry);
          if (parent.kind === 'keyed') parent.value.set(value, entry);
        }
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) return undefined;
        const parent = stack[stack.length - 1];
        if (parent !== undefined && parent.kind !== 'seq' && parent.key === undefined) return undefined;
        if (event.type === EVENT_ID.SEQUENCE) {
          const value: unknown[] = [];
          add(value);
          stack.push({ kind: 'seq', value });
          break;
        }
        // Listed: the root mapping and the mappings directly under its keys.
        let listed: OpenEntry[] | undefined;
        if (stack.length === 0) listed = rootEntries = [];
        else if (stack.length === 1 && parent?.kind === 'map' && parent.key !== undefined) {
          listed = [];
          childEntries.set(parent.key, listed);
          if (keyed.includes(parent.key)) {
            // Until asked for, the root holds the entries themselves in place of the object.
            const value = new Map<string, OpenEntry>();
            keyedChildren.set(parent.key, value);
            add(value);
            stack.push({ kind: 'keyed', value, key: undefined, listed });
            break;
          }
        }
        const value: Record<string, unknown> = {};
        add(value);
        stack.push({ kind: 'map', value, key: undefined, listed });
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return new EventsResult(root, rootEntries, childEntries, keyedChildren);
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
