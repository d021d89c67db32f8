import { EVENT_ID, type Event, getScalarValue, parseEvents } from 'js-yaml';
import type { YamlEntry } from './yaml-lock-document';

/** A lock file read from js-yaml's events: plain data, and the entries of the maps lock readers list. */
export interface YamlLockEvents {
  /** The document's content: strings, arrays and plain objects; null for an empty document. */
  readonly root: unknown;
  /** Entries of the top-level mapping, in document order. */
  readonly rootEntries: readonly YamlEntry[];
  /** Entries of each mapping that is the value of a top-level key, by that key. */
  readonly childEntries: ReadonlyMap<string, readonly YamlEntry[]>;
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
  | { readonly kind: 'seq'; readonly value: unknown[] };

/**
 * Reads a lock file from js-yaml's flat event stream, about ten times faster than the yaml
 * library composes a document. Only the YAML lock files are written in is taken: anything else
 * (a syntax error, several documents, directives, anchors, aliases, tags, a collection as key or a
 * repeated key) gives undefined, and the caller reads the text with the yaml library, whose
 * diagnostics and recovery it already relies on.
 */
export function readYamlLockEvents(source: string, maxDepth: number): YamlLockEvents | undefined {
  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth });
  } catch {
    return undefined;
  }
  let rootEntries: OpenEntry[] = [];
  const childEntries = new Map<string, OpenEntry[]>();
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
      if (typeof value !== 'string' || Object.hasOwn(parent.value, value)) return false;
      parent.key = value;
      return true;
    }
    if (parent.listed) (parent.listed[parent.listed.length - 1] as OpenEntry).value = value;
    // `__proto__` as a plain assignment would replace the object's prototype; defineProperty for
    // every key would leave the objects in slow dictionary mode.
    if (parent.key === '__proto__') {
      Object.defineProperty(parent.value, parent.key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      parent.value[parent.key] = value;
    }
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
        const isKey = parent?.kind === 'map' && parent.key === undefined;
        const value = getScalarValue(source, event);
        if (!add(value)) return undefined;
        if (isKey && parent.listed) {
          // An empty key has no offset of its own; the mapping's previous key is as close as it gets.
          const offset = event.valueStart === -1 ? cursor : event.valueStart;
          parent.listed.push({ key: value, value: null, line: lineAt(offset) });
        }
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (event.anchorStart !== -1 || event.tagStart !== -1) return undefined;
        const parent = stack[stack.length - 1];
        if (parent?.kind === 'map' && parent.key === undefined) return undefined;
        if (event.type === EVENT_ID.SEQUENCE) {
          const value: unknown[] = [];
          add(value);
          stack.push({ kind: 'seq', value });
          break;
        }
        const value: Record<string, unknown> = {};
        // Listed: the root mapping and the mappings directly under its keys.
        let listed: OpenEntry[] | undefined;
        if (stack.length === 0) listed = rootEntries = [];
        else if (stack.length === 1 && parent?.kind === 'map' && parent.key !== undefined) {
          listed = [];
          childEntries.set(parent.key, listed);
        }
        add(value);
        stack.push({ kind: 'map', value, key: undefined, listed });
        break;
      }
      case EVENT_ID.POP:
        stack.pop();
        break;
    }
  }
  return { root, rootEntries, childEntries };
}
