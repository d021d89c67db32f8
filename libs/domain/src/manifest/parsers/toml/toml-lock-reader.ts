// One pass over the TOML that lock writers emit (poetry, uv, pdm, Cargo), without smol-toml's
// per-character string building and per-key bookkeeping objects. Anything outside the subset
// gives undefined and the caller hands the file to smol-toml; what this reader takes, it builds
// as smol-toml would (null-prototype tables, numbers, file order), so the data is the same.

import { textAt } from '../recent-text';

const TAB = 0x09;
const LF = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const APOSTROPHE = 0x27;
const COMMA = 0x2c;
const DASH = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const EQUALS = 0x3d;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const DEL = 0x7f;

// Locks nest two or three deep; deeper goes to smol-toml, which applies the caller's own limit.
const MAX_DEPTH = 8;
// Up to 15 digits is exactly a double; longer integers go to smol-toml's range checks.
const MAX_INTEGER_DIGITS = 15;
const DECLINED = -1;

/** Bare key characters: letters, digits, `-` and `_`. */
const BARE = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[\w-]/.test(char)) BARE[code] = 1;
}

/** The character code a backslash escape stands for, by the character after it; 0 declines. */
const ESCAPED = new Uint8Array(128);
for (const [escape, code] of [
  ['"', 0x22],
  ['\\', 0x5c],
  ['b', 0x08],
  ['e', 0x1b],
  ['f', 0x0c],
  ['n', 0x0a],
  ['r', 0x0d],
  ['t', 0x09],
] as const) {
  ESCAPED[escape.charCodeAt(0)] = code;
}

/** Chunks keep `String.fromCharCode.apply` under engines' argument limits. */
const CHUNK = 8192;

function textOf(codes: Uint16Array, count: number): string {
  let text = '';
  for (let at = 0; at < count; at += CHUNK) {
    text += String.fromCharCode.apply(
      null,
      codes.subarray(at, Math.min(at + CHUNK, count)) as unknown as number[],
    );
  }
  return text;
}

export type TomlTable = Record<string, unknown>;

/**
 * A table without a prototype, as smol-toml makes them, so a key such as `constructor` reads the
 * same; made this way V8 keeps it a fast object, where `Object.create(null)` makes a dictionary.
 */
function newTable(): TomlTable {
  return Object.setPrototypeOf({}, null) as TomlTable;
}

export interface TomlLock {
  readonly table: TomlTable;
  /** 1-based lines of the top-level `[[package]]` headers, in file order. */
  readonly packageLines: readonly number[];
}

/**
 * Reads `source` (normalised: LF line ends, no BOM) when it keeps to the subset lock writers use:
 * `[table]` and `[[array.of.tables]]` headers of bare or plain quoted keys, `key = value` lines,
 * one-line basic and literal strings (common escapes), decimal integers, booleans, arrays over
 * several lines and one-line inline tables, comments. Else undefined: dotted keys, multi-line
 * strings, floats, dates, `\u` escapes, a redefined key or table, deep nesting, any doubt.
 */
export function readTomlLock(source: string): TomlLock | undefined {
  return new TomlLockReader(source).read();
}

class TomlLockReader {
  private readonly root: TomlTable = newTable();
  private readonly packageLines: number[] = [];
  /** Tables a header named as a step of its path, not yet defined by a header of their own. */
  private readonly implicit = new Set<TomlTable>();
  /** Tables a `[table]` header defined (those of `[[...]]` are reached through their array). */
  private readonly defined = new Set<TomlTable>();
  /** Arrays built by `[[...]]` headers. */
  private readonly arraysOfTables = new Set<unknown[]>();
  /** Header keys read, reused between headers. */
  private readonly keys: string[] = [];
  /** Items of the arrays being read, innermost last. */
  private readonly stack: unknown[] = [];
  /** Character codes of a string with escapes, reused between strings. */
  private codes = new Uint16Array(256);
  private table: TomlTable = this.root;
  private line = 1;
  private depth = 0;
  /** The value the last read left. */
  private value: unknown = undefined;
  /** Whether the last basic string read held an escape. */
  private escaped = false;

  constructor(private readonly source: string) {}

  read(): TomlLock | undefined {
    const { source } = this;
    const length = source.length;
    let at = 0;
    while (at < length) {
      const code = source.charCodeAt(at);
      if (code === SPACE || code === TAB) {
        at++;
        continue;
      }
      if (code === LF) {
        this.line++;
        at++;
        continue;
      }
      if (code === HASH) at = this.comment(at);
      else if (code === OPEN_BRACKET) at = this.lineEnd(this.header(at));
      else at = this.lineEnd(this.keyValue(at));
      if (at === DECLINED) return undefined;
    }
    return { table: this.root, packageLines: this.packageLines };
  }

  /** Past spaces and an optional comment to the line's end (not past it), or DECLINED. */
  private lineEnd(from: number): number {
    if (from === DECLINED) return DECLINED;
    const { source } = this;
    let at = from;
    let code = source.charCodeAt(at);
    while (code === SPACE || code === TAB) code = source.charCodeAt(++at);
    if (code === HASH) return this.comment(at);
    return at >= source.length || code === LF ? at : DECLINED;
  }

  /** From `#` to the line's end (not past it); control characters decline, as TOML forbids them. */
  private comment(from: number): number {
    const { source } = this;
    const length = source.length;
    for (let at = from + 1; at < length; at++) {
      const code = source.charCodeAt(at);
      if (code === LF) return at;
      // Line separators would end a header line for the general path's line patterns.
      if ((code < SPACE && code !== TAB) || code === DEL || code === 0x2028 || code === 0x2029)
        return DECLINED;
    }
    return length;
  }

  /** `[a.b]` or `[[a.b]]`; the table it names becomes the one key/value lines fill. */
  private header(from: number): number {
    const { source, keys } = this;
    const array = source.charCodeAt(from + 1) === OPEN_BRACKET;
    let at = from + (array ? 2 : 1);
    keys.length = 0;
    for (;;) {
      at = this.key(at);
      if (at === DECLINED) return DECLINED;
      keys.push(this.value as string);
      const code = source.charCodeAt(at);
      if (code === CLOSE_BRACKET) break;
      if (code !== DOT) return DECLINED;
      at++;
    }
    if (array && source.charCodeAt(++at) !== CLOSE_BRACKET) return DECLINED;
    const parent = this.parentOf(keys);
    if (parent === undefined) return DECLINED;
    const last = keys[keys.length - 1] as string;
    const existing = Object.hasOwn(parent, last) ? parent[last] : undefined;
    const table = newTable();
    if (array) {
      if (existing === undefined) {
        const tables: unknown[] = [table];
        this.arraysOfTables.add(tables);
        parent[last] = tables;
      } else if (Array.isArray(existing) && this.arraysOfTables.has(existing)) {
        existing.push(table);
      } else {
        return DECLINED;
      }
      this.table = table;
      // As the general path finds them: a line holding just `[[package]]`, bare.
      if (source.startsWith('[[package]]', from)) this.packageLines.push(this.line);
    } else if (existing === undefined) {
      parent[last] = table;
      this.defined.add(table);
      this.table = table;
    } else if (this.implicit.has(existing as TomlTable)) {
      this.implicit.delete(existing as TomlTable);
      this.defined.add(existing as TomlTable);
      this.table = existing as TomlTable;
    } else {
      return DECLINED;
    }
    return at + 1;
  }

  /** The table holding a header's last key, made on the way as needed; undefined when it is not a table headers may extend. */
  private parentOf(keys: readonly string[]): TomlTable | undefined {
    let table = this.root;
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i] as string;
      if (!Object.hasOwn(table, key)) {
        const made = newTable();
        table[key] = made;
        this.implicit.add(made);
        table = made;
        continue;
      }
      const next = table[key];
      if (Array.isArray(next) && this.arraysOfTables.has(next)) {
        table = next[next.length - 1] as TomlTable;
      } else if (this.implicit.has(next as TomlTable) || this.defined.has(next as TomlTable)) {
        table = next as TomlTable;
      } else {
        return undefined;
      }
    }
    return table;
  }

  /** `key = value` into the current table; a key it already holds declines. */
  private keyValue(from: number): number {
    let at = this.key(from);
    if (at === DECLINED) return DECLINED;
    const key = this.value as string;
    at = this.afterEquals(at);
    if (at === DECLINED || Object.hasOwn(this.table, key)) return DECLINED;
    at = this.readValue(at);
    if (at === DECLINED) return DECLINED;
    this.table[key] = this.value;
    return at;
  }

  /** Past spaces, `=` and spaces after a key. */
  private afterEquals(from: number): number {
    const { source } = this;
    let at = from;
    let code = source.charCodeAt(at);
    while (code === SPACE || code === TAB) code = source.charCodeAt(++at);
    if (code !== EQUALS) return DECLINED;
    code = source.charCodeAt(++at);
    while (code === SPACE || code === TAB) code = source.charCodeAt(++at);
    return at;
  }

  /** A bare key, or a quoted one without escapes; `__proto__` and empty keys decline. */
  private key(from: number): number {
    const { source } = this;
    let at = from;
    const code = source.charCodeAt(at);
    if (code === QUOTE || code === APOSTROPHE) {
      at = code === QUOTE ? this.basicString(at) : this.literalString(at);
      // An escape in a key is rare enough to leave to smol-toml.
      if (at === DECLINED || (code === QUOTE && this.escaped) || (this.value as string).length === 0) {
        return DECLINED;
      }
    } else {
      while (at < source.length && source.charCodeAt(at) < 128 && BARE[source.charCodeAt(at)] === 1) at++;
      if (at === from) return DECLINED;
      this.value = textAt(source, from, at);
    }
    return this.value === '__proto__' ? DECLINED : at;
  }

  /** A value from `from`; leaves it in `this.value` and returns where it ends. */
  private readValue(from: number): number {
    const { source } = this;
    const code = source.charCodeAt(from);
    switch (code) {
      case QUOTE:
        return this.basicString(from);
      case APOSTROPHE:
        return this.literalString(from);
      case OPEN_BRACKET:
        return this.array(from);
      case OPEN_BRACE:
        return this.inlineTable(from);
      case 0x74: // t
        return this.word(from, 'true', true);
      case 0x66: // f
        return this.word(from, 'false', false);
      default:
        return code === DASH || (code >= ZERO && code <= NINE) ? this.integer(from) : DECLINED;
    }
  }

  private word(from: number, word: string, value: boolean): number {
    const end = from + word.length;
    if (!this.source.startsWith(word, from) || !this.endsValue(end)) return DECLINED;
    this.value = value;
    return end;
  }

  /** `0` or a decimal integer without a leading zero, `+` or `_`; anything else declines. */
  private integer(from: number): number {
    const { source } = this;
    // smol-toml reads these shapes as dates and times.
    if (source.charCodeAt(from + 4) === DASH || source.charCodeAt(from + 2) === COLON) return DECLINED;
    const digits = source.charCodeAt(from) === DASH ? from + 1 : from;
    let at = digits;
    let code = source.charCodeAt(at);
    while (code >= ZERO && code <= NINE) code = source.charCodeAt(++at);
    const count = at - digits;
    if (count === 0 || count > MAX_INTEGER_DIGITS || !this.endsValue(at)) return DECLINED;
    if (source.charCodeAt(digits) === ZERO && (count > 1 || digits > from)) return DECLINED;
    this.value = Number(source.slice(from, at));
    return at;
  }

  /** What may follow a number or boolean: space, line end, comma, closing bracket or brace, comment. */
  private endsValue(at: number): boolean {
    const code = this.source.charCodeAt(at);
    return (
      at >= this.source.length ||
      code === SPACE ||
      code === TAB ||
      code === LF ||
      code === COMMA ||
      code === CLOSE_BRACKET ||
      code === CLOSE_BRACE ||
      code === HASH
    );
  }

  /** `"..."` on one line; multi-line strings, `\u`/`\U`/`\x` escapes and control characters decline. */
  private basicString(from: number): number {
    const { source } = this;
    if (source.charCodeAt(from + 1) === QUOTE && source.charCodeAt(from + 2) === QUOTE) return DECLINED;
    const length = source.length;
    this.escaped = false;
    for (let at = from + 1; at < length; at++) {
      const code = source.charCodeAt(at);
      if (code === QUOTE) {
        this.value = textAt(source, from + 1, at);
        return at + 1;
      }
      if (code === BACKSLASH) return this.escapedString(from + 1, at);
      if ((code < SPACE && code !== TAB) || code === DEL) return DECLINED;
    }
    return DECLINED;
  }

  /** The rest of a basic string from its first escape at `escape`, decoded through `codes`. */
  private escapedString(start: number, escape: number): number {
    const { source } = this;
    const length = source.length;
    let codes = this.codes;
    let count = 0;
    for (let at = start; at < escape; at++) codes[count++] = source.charCodeAt(at);
    for (let at = escape; at < length; at++) {
      if (count + 1 >= codes.length) {
        const grown = new Uint16Array(codes.length * 2);
        grown.set(codes);
        this.codes = codes = grown;
      }
      let code = source.charCodeAt(at);
      if (code === QUOTE) {
        this.value = textOf(codes, count);
        this.escaped = true;
        return at + 1;
      }
      if (code === BACKSLASH) {
        code = ESCAPED[source.charCodeAt(++at)] ?? 0;
        if (code === 0) return DECLINED;
      } else if ((code < SPACE && code !== TAB) || code === DEL) {
        return DECLINED;
      }
      codes[count++] = code;
    }
    return DECLINED;
  }

  /** `'...'` on one line, taken as written; `'''` and control characters decline. */
  private literalString(from: number): number {
    const { source } = this;
    if (source.charCodeAt(from + 1) === APOSTROPHE && source.charCodeAt(from + 2) === APOSTROPHE) {
      return DECLINED;
    }
    const length = source.length;
    for (let at = from + 1; at < length; at++) {
      const code = source.charCodeAt(at);
      if (code === APOSTROPHE) {
        this.value = source.slice(from + 1, at);
        return at + 1;
      }
      if ((code < SPACE && code !== TAB) || code === DEL) return DECLINED;
    }
    return DECLINED;
  }

  /** `[a, b, ...]`, over as many lines as it takes, comments and a trailing comma allowed. */
  private array(from: number): number {
    if (++this.depth > MAX_DEPTH) return DECLINED;
    // Items gather on a shared stack and leave it as an array of their exact length: an array
    // grown by push holds room for 17 items, most lock arrays one or two.
    const { stack } = this;
    const base = stack.length;
    let at = this.skipBlank(from + 1);
    while (at !== DECLINED) {
      if (this.source.charCodeAt(at) === CLOSE_BRACKET) {
        this.depth--;
        this.value = stack.slice(base);
        stack.length = base;
        return at + 1;
      }
      at = this.readValue(at);
      if (at === DECLINED) return DECLINED;
      stack.push(this.value);
      at = this.skipBlank(at);
      if (at === DECLINED) return DECLINED;
      const code = this.source.charCodeAt(at);
      if (code === COMMA) at = this.skipBlank(at + 1);
      else if (code !== CLOSE_BRACKET) return DECLINED;
    }
    return DECLINED;
  }

  /** Spaces, line ends and comments inside an array. */
  private skipBlank(from: number): number {
    const { source } = this;
    let at = from;
    for (;;) {
      const code = source.charCodeAt(at);
      if (code === SPACE || code === TAB) at++;
      else if (code === LF) {
        this.line++;
        at++;
      } else if (code === HASH) {
        at = this.comment(at);
        if (at === DECLINED) return DECLINED;
      } else {
        return at;
      }
    }
  }

  /** `{ a = 1, b = "x" }` on one line, without dotted keys, repeats or a trailing comma. */
  private inlineTable(from: number): number {
    if (++this.depth > MAX_DEPTH) return DECLINED;
    const { source } = this;
    const table = newTable();
    let at = this.skipSpaces(from + 1);
    if (source.charCodeAt(at) === CLOSE_BRACE) {
      this.depth--;
      this.value = table;
      return at + 1;
    }
    for (;;) {
      at = this.key(at);
      if (at === DECLINED) return DECLINED;
      const key = this.value as string;
      at = this.afterEquals(at);
      if (at === DECLINED || Object.hasOwn(table, key)) return DECLINED;
      at = this.readValue(at);
      if (at === DECLINED) return DECLINED;
      table[key] = this.value;
      at = this.skipSpaces(at);
      const code = source.charCodeAt(at);
      if (code === CLOSE_BRACE) {
        this.depth--;
        this.value = table;
        return at + 1;
      }
      if (code !== COMMA) return DECLINED;
      at = this.skipSpaces(at + 1);
    }
  }

  private skipSpaces(from: number): number {
    const { source } = this;
    let at = from;
    let code = source.charCodeAt(at);
    while (code === SPACE || code === TAB) code = source.charCodeAt(++at);
    return at;
  }
}
