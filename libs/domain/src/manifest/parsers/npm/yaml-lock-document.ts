import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
} from 'yaml';
import { isObject } from '../../../shared/is-object';
import type { ManifestDiagnostic } from '../../manifest.types';
import { readYamlBlockLock } from './yaml-block-reader';
import { readYamlLockEvents, type YamlLockEvents } from './yaml-lock-events';

/**
 * The YAML library composes nested collections recursively, and a few thousand levels overflow the
 * stack at a depth that varies from run to run. Lock files nest a handful of levels; past this,
 * counted by brackets, by indentation columns, or by the compact collections one line opens (`: `,
 * `- `, `? `, each nesting the rest of the line), the text is refused before that library reads it.
 */
export const MAX_NESTING = 200;

/**
 * The same limit on the document the YAML library composed, which can nest where the text's counts
 * do not (its error recovery). Text within MAX_NESTING by each count can still compose deeper than
 * MAX_NESTING (brackets inside indentation), so this bound is wider; the library's stack lasts past
 * twice it, even called from thousands of frames deep.
 */
export const COMPOSED_MAX_NESTING = 2 * MAX_NESTING;

/** The line where brackets or indentation first pass MAX_NESTING, counted in one pass over the text. */
function nestingPastLimit(source: string): number | undefined {
  let line = 1;
  let depth = 0;
  let indent = 0;
  // Indicators followed by a space (or the line's end) on this line: an over-count, as in scalars.
  let compact = 0;
  let atLineStart = true;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 0x0a) {
      line++;
      indent = 0;
      compact = 0;
      atLineStart = true;
      continue;
    }
    if (atLineStart && code === 0x20) {
      if (++indent > MAX_NESTING) return line;
      continue;
    }
    atLineStart = false;
    if (code === 0x3a || code === 0x2d || code === 0x3f) {
      const next = source.charCodeAt(i + 1);
      if ((next === 0x20 || next === 0x0a || Number.isNaN(next)) && ++compact > MAX_NESTING) return line;
    }
    // Brackets inside quoted or plain scalars count too: an over-count, never an under-count.
    if (code === 0x5b || code === 0x7b) {
      if (++depth > MAX_NESTING) return line;
    } else if ((code === 0x5d || code === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

export interface YamlEntry {
  readonly key: string;
  /** Plain data: with the failsafe schema every scalar is a string (`dev: true` gives `'true'`). */
  readonly value: unknown;
  readonly line?: number;
}

/** What a lock reader asks of the document, whichever library read it. */
interface LockContent {
  readonly isMapping: boolean;
  entries(key?: string): YamlEntry[];
  get(key: string): unknown;
  mapping(key: string): ReadonlyMap<string, YamlEntry> | undefined;
}

/** The entries of a plain mapping by key, or undefined for anything else. */
function plainMapping(value: unknown): ReadonlyMap<string, YamlEntry> | undefined {
  return isObject(value)
    ? new Map(Object.entries(value).map(([key, entry]) => [key, { key, value: entry }]))
    : undefined;
}

/**
 * A YAML lock file (pnpm-lock.yaml, yarn berry's yarn.lock) with the lines of its keys. Read with
 * the failsafe schema so `version: 1.10` stays the string it is instead of becoming 1.1.
 */
export class YamlLockDocument {
  private constructor(
    private readonly content: LockContent,
    readonly diagnostics: ManifestDiagnostic[],
  ) {}

  /** `keyed`: top-level keys whose mappings the reader asks for with `mapping` rather than `get`. */
  static parse(source: string, fileName: string, keyed: readonly string[] = []): YamlLockDocument {
    // A lock file as pnpm and yarn write it, nearly every one, is read by the block reader; other
    // well-formed YAML from js-yaml's events (its depth limit keeps it off deep recursion);
    // anything else by the slower yaml library, for its diagnostics and its reading up to a
    // syntax error, once the nesting check has passed.
    const events =
      readYamlBlockLock(source, MAX_NESTING, keyed) ?? readYamlLockEvents(source, MAX_NESTING, keyed);
    if (events) return new YamlLockDocument(new EventsContent(events), []);
    const tooDeep = nestingPastLimit(source);
    if (tooDeep !== undefined) return YamlLockDocument.tooDeep(fileName, tooDeep, MAX_NESTING);
    const lineCounter = new LineCounter();
    // The library's own duplicate-key check scans every earlier key of a mapping for each new
    // one (quadratic in a lock's thousands of packages); `scanNodes` does it with a set.
    const document = parseDocument(source, { schema: 'failsafe', lineCounter, uniqueKeys: false });
    // Its error recovery can still nest line after line (an implicit key running on over lines),
    // and where its stack then runs out varies from call to call: judged by the composed depth,
    // the same text is refused the same way every time.
    const deep = offsetPastNesting(document);
    if (deep !== undefined)
      return YamlLockDocument.tooDeep(fileName, lineCounter.linePos(deep).line, COMPOSED_MAX_NESTING);
    const { content, diagnostics } = composeDocument(document, lineCounter, fileName);
    return new YamlLockDocument(content, diagnostics);
  }

  private static tooDeep(fileName: string, line: number, limit: number): YamlLockDocument {
    return new YamlLockDocument(EMPTY, [
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: `${fileName} nests deeper than ${limit} levels (line ${line}), which lock files never do; it was not read`,
        line,
      },
    ]);
  }

  /** The document is a mapping at top level (an empty or scalar document, or one refused, is not). */
  get isMapping(): boolean {
    return this.content.isMapping;
  }

  /**
   * Entries of the top-level mapping, or of the mapping under the top-level `key`. After a syntax
   * error the parser guesses (a cut-off `"lodash@npm:4.17` may come back as `4.1`), so entries
   * that reach the error are left out.
   */
  entries(key?: string): YamlEntry[] {
    return this.content.entries(key);
  }

  /** Plain value under a top-level key. */
  get(key: string): unknown {
    return this.content.get(key);
  }

  /**
   * The entries of the mapping under a top-level key, by key (undefined when it is not a mapping):
   * the same data as `get`, without making a plain object of a mapping named in `keyed`.
   */
  mapping(key: string): ReadonlyMap<string, YamlEntry> | undefined {
    return this.content.mapping(key);
  }
}

const EMPTY: LockContent = {
  isMapping: false,
  entries: () => [],
  get: () => undefined,
  mapping: () => undefined,
};

class EventsContent implements LockContent {
  constructor(private readonly events: YamlLockEvents) {}

  get isMapping(): boolean {
    return isObject(this.events.root);
  }

  entries(key?: string): YamlEntry[] {
    return [...((key === undefined ? this.events.rootEntries : this.events.childEntries.get(key)) ?? [])];
  }

  get(key: string): unknown {
    return this.events.get(key);
  }

  mapping(key: string): ReadonlyMap<string, YamlEntry> | undefined {
    return this.events.keyed(key) ?? plainMapping(this.events.get(key));
  }
}

/** The yaml library's document: slower, but it names what is wrong and reads up to it. */
function composeDocument(
  document: Document.Parsed,
  lineCounter: LineCounter,
  fileName: string,
): { content: LockContent; diagnostics: ManifestDiagnostic[] } {
  const diagnostics: ManifestDiagnostic[] = [];
  const { alias, duplicateKey } = scanNodes(document);
  const [libraryError] = document.errors;
  if (alias !== undefined) {
    // pnpm and yarn never write anchors; aliases in a lock file can only be an expansion bomb.
    const line = lineCounter.linePos(alias).line;
    diagnostics.push({
      severity: 'error',
      code: 'INVALID_SYNTAX',
      message: `${fileName} uses YAML aliases (line ${line}), which lock files never contain; it was not read`,
      line,
    });
    return { content: EMPTY, diagnostics };
  }
  const errors = [
    ...(libraryError
      ? [
          {
            offset: libraryError.pos[0],
            // The library appends "at line L, column C:" and a code excerpt; keep the reason only.
            reason: (libraryError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''),
          },
        ]
      : []),
    ...(duplicateKey === undefined ? [] : [{ offset: duplicateKey, reason: 'Map keys must be unique' }]),
  ].sort((a, b) => a.offset - b.offset);
  const [error] = errors;
  if (error) {
    const line = lineCounter.linePos(error.offset).line;
    diagnostics.push({
      severity: 'error',
      code: 'INVALID_SYNTAX',
      message: `${fileName} is not valid YAML (line ${line}: ${error.reason}); nothing from there on was read`,
      line,
    });
  }
  return {
    content: new ComposedContent(document, lineCounter, error ? error.offset : Infinity),
    diagnostics,
  };
}

class ComposedContent implements LockContent {
  constructor(
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
    /** Where the first syntax error is: entries reaching it are not trusted. */
    private readonly errorOffset: number,
  ) {}

  get isMapping(): boolean {
    return isMap(this.document.contents);
  }

  entries(key?: string): YamlEntry[] {
    const root = this.document.contents;
    if (!isMap(root)) return [];
    const map = key === undefined ? root : root.get(key, true);
    if (!isMap(map)) return [];
    return map.items.flatMap((pair) => {
      if (!isScalar(pair.key)) return [];
      const end = (isNode(pair.value) ? pair.value.range?.[2] : undefined) ?? pair.key.range?.[2] ?? 0;
      if (end >= this.errorOffset) return [];
      const offset = pair.key.range?.[0];
      return [
        {
          key: String(pair.key.value),
          value: this.toPlain(pair.value),
          ...(offset === undefined ? {} : { line: this.lineCounter.linePos(offset).line }),
        },
      ];
    });
  }

  get(key: string): unknown {
    const root = this.document.contents;
    if (!isMap(root)) return undefined;
    return this.toPlain(root.get(key, true));
  }

  mapping(key: string): ReadonlyMap<string, YamlEntry> | undefined {
    return plainMapping(this.get(key));
  }

  private toPlain(node: unknown): unknown {
    return isNode(node) ? (node.toJS(this.document) as unknown) : (node ?? null);
  }
}

/**
 * Where the composed document first nests past COMPOSED_MAX_NESTING (or where the library's stack ran out,
 * which is deeper still), walked without recursion. Keys count: a complex key is a collection too.
 */
function offsetPastNesting(document: Document.Parsed): number | undefined {
  const exhausted = document.errors.some((error) => error.code === 'RESOURCE_EXHAUSTION');
  const stack: { node: unknown; depth: number }[] = [{ node: document.contents, depth: 0 }];
  let first: number | undefined;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= COMPOSED_MAX_NESTING) {
      const offset = node.range?.[0] ?? 0;
      first = Math.min(first ?? Infinity, offset);
      continue;
    }
    for (const item of node.items) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      } else {
        stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return first ?? (exhausted ? 0 : undefined);
}

/** Offsets of the first `*alias` and of the first key a mapping repeats, if any, in one pass. */
function scanNodes(document: Document.Parsed): { alias?: number; duplicateKey?: number } {
  let alias: number | undefined;
  let duplicateKey: number | undefined;
  visit(document, {
    Alias(_, node) {
      alias = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
    Map(_, map) {
      const keys = new Set<unknown>();
      for (const { key } of map.items) {
        const value: unknown = isScalar(key) ? key.value : key;
        if (!keys.has(value)) keys.add(value);
        else if (isNode(key)) duplicateKey = Math.min(duplicateKey ?? Infinity, key.range?.[0] ?? 0);
      }
    },
  });
  return {
    ...(alias === undefined ? {} : { alias }),
    ...(duplicateKey === undefined ? {} : { duplicateKey }),
  };
}
