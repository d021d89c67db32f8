import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  DASH,
  HASH,
  isComment,
  isQuote,
  OPEN_BRACE,
  OPEN_BRACKET,
  readBlockKey,
  readBlockPlain,
  readFlowKey,
  readFlowPlain,
  readQuoted,
  scanned,
  SPACE,
  startsPlain,
} from './yaml-block-scalars';
import { YamlLockTree, type YamlLockEvents } from './yaml-lock-tree';

/** What reading one `key: value` line found. */
const OUTSIDE = 0;
const VALUE_READ = 1;
const VALUE_BELOW = 2;
type Entry = typeof OUTSIDE | typeof VALUE_READ | typeof VALUE_BELOW;

/**
 * Reads the YAML that lock writers emit (pnpm, yarn berry) in one pass, without js-yaml's event
 * objects: block mappings by indentation, block sequences of one-line values, plain and quoted
 * scalars on one line, flow collections closed on their line, comments and a leading `---`.
 * Anything else (a collection in a block sequence, anchors, aliases, tags, block or multi-line
 * scalars, escapes, tabs, odd indentation, a repeated key, nesting near `maxDepth`) gives
 * undefined, and js-yaml reads the file as before; what this reader takes, it builds through the
 * same YamlLockTree, so the data is the same either way.
 */
export function readYamlBlockLock(
  source: string,
  maxDepth: number,
  keyed: readonly string[] = [],
): YamlLockEvents | undefined {
  // Keys are given by their line, which this reader counts itself.
  const tree = new YamlLockTree(keyed, (line) => line);
  // js-yaml counts a block mapping's depth one deeper than a flow one; two below its cap is safe.
  return new BlockReader(source, tree, maxDepth - 2).read() ? tree.finish() : undefined;
}

class BlockReader {
  /** Indentation of each open block collection, outermost first. */
  private readonly indents: number[] = [];
  /** Whether each open block collection is a sequence. */
  private readonly sequences: boolean[] = [];
  private line = 0;

  constructor(
    private readonly source: string,
    private readonly tree: YamlLockTree,
    private readonly maxDepth: number,
  ) {}

  read(): boolean {
    const { source, indents, sequences } = this;
    let started = false;
    // A key whose value is not on its line: a collection indented below it, or else empty.
    let pending = false;
    for (let start = 0; start < source.length;) {
      let end = source.indexOf('\n', start);
      if (end === -1) end = source.length;
      this.line++;
      let at = start;
      while (at < end && source.charCodeAt(at) === SPACE) at++;
      const indent = at - start;
      start = end + 1;
      if (at === end) continue;
      if (source.charCodeAt(at) === HASH) {
        if (!isComment(source, at, end)) return false;
        continue;
      }
      if (indent === 0 && (source.startsWith('---', at) || source.startsWith('...', at))) {
        // Only a bare `---` before any content: the document start.
        if (started || source.charCodeAt(at) !== DASH || !this.isLineEnd(at + 3, end)) return false;
        started = true;
        continue;
      }
      started = true;
      const top = indents.length === 0 ? -1 : (indents[indents.length - 1] as number);
      if (pending && indent > top) {
        if (!this.openBlock(indent, source.charCodeAt(at) === DASH)) return false;
      } else {
        if (pending && !this.tree.scalar('', this.line)) return false;
        if (indents.length === 0) {
          if (indent !== 0 || !this.openBlock(0, false)) return false;
        } else if (!this.closeTo(indent)) {
          return false;
        }
      }
      const entry = sequences[sequences.length - 1] ? this.item(at, end) : this.entry(at, end);
      if (entry === OUTSIDE) return false;
      pending = entry === VALUE_BELOW;
    }
    if (indents.length === 0) return false;
    if (pending && !this.tree.scalar('', this.line)) return false;
    return true;
  }

  private openBlock(indent: number, sequence: boolean): boolean {
    if (this.tree.depth >= this.maxDepth || !this.tree.open(sequence ? 'seq' : 'map')) return false;
    this.indents.push(indent);
    this.sequences.push(sequence);
    return true;
  }

  /** Closes the collections a line at `indent` ends; false when it matches none (odd indentation). */
  private closeTo(indent: number): boolean {
    const { indents } = this;
    while (indents.length > 0 && indent < (indents[indents.length - 1] as number)) {
      indents.pop();
      this.sequences.pop();
      this.tree.close();
    }
    return indents[indents.length - 1] === indent;
  }

  /** `key: value` at `at`, the value on this line or (nothing but a comment after the colon) below. */
  private entry(at: number, end: number): Entry {
    const { source } = this;
    const colon = readBlockKey(source, at, end);
    if (colon === -1 || !this.tree.scalar(scanned.value, this.line)) return OUTSIDE;
    let value = colon;
    while (value < end && source.charCodeAt(value) === SPACE) value++;
    if (value === end) return VALUE_BELOW;
    if (source.charCodeAt(value) === HASH) return isComment(source, value, end) ? VALUE_BELOW : OUTSIDE;
    return this.value(value, end);
  }

  /** `- value` at `at`, the value on this line: a scalar or a flow collection, nothing nested below. */
  private item(at: number, end: number): Entry {
    const { source } = this;
    if (source.charCodeAt(at) !== DASH || source.charCodeAt(at + 1) !== SPACE || at + 1 >= end)
      return OUTSIDE;
    let value = at + 2;
    while (value < end && source.charCodeAt(value) === SPACE) value++;
    return value === end || source.charCodeAt(value) === HASH ? OUTSIDE : this.value(value, end);
  }

  /** A value that starts at `at` and ends its line (a comment aside). */
  private value(at: number, end: number): Entry {
    const { source } = this;
    const code = source.charCodeAt(at);
    let after: number;
    if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      after = this.flow(at, end);
    } else {
      after = isQuote(code)
        ? readQuoted(source, at, end)
        : startsPlain(code)
          ? readBlockPlain(source, at, end)
          : -1;
      if (after !== -1 && !this.tree.scalar(scanned.value, this.line)) return OUTSIDE;
    }
    return after === -1 || !this.isLineEnd(after, end) ? OUTSIDE : VALUE_READ;
  }

  /** Only spaces, or spaces and a comment, from `at` to the line's end. */
  private isLineEnd(at: number, end: number): boolean {
    const { source } = this;
    let i = at;
    while (i < end && source.charCodeAt(i) === SPACE) i++;
    if (i === end) return true;
    return i > at && source.charCodeAt(i) === HASH && isComment(source, i, end);
  }

  /** A flow sequence or mapping closed on this line; returns the index after it, or -1. */
  private flow(at: number, end: number): number {
    const { source, tree } = this;
    const isMapping = source.charCodeAt(at) === OPEN_BRACE;
    const close = isMapping ? CLOSE_BRACE : CLOSE_BRACKET;
    if (tree.depth >= this.maxDepth || !tree.open(isMapping ? 'map' : 'seq')) return -1;
    let i = this.skipSpaces(at + 1, end);
    if (source.charCodeAt(i) === close) {
      tree.close();
      return i + 1;
    }
    for (;;) {
      if (isMapping) {
        const colon = readFlowKey(source, i, end);
        if (colon === -1 || !tree.scalar(scanned.value, this.line)) return -1;
        i = this.skipSpaces(colon, end);
      }
      i = this.flowNode(i, end);
      if (i === -1) return -1;
      i = this.skipSpaces(i, end);
      const code = source.charCodeAt(i);
      if (code === close) {
        tree.close();
        return i + 1;
      }
      if (code !== COMMA) return -1;
      i = this.skipSpaces(i + 1, end);
      // A trailing comma is valid YAML, but no lock writer emits one.
      if (source.charCodeAt(i) === close) return -1;
    }
  }

  private flowNode(at: number, end: number): number {
    const { source } = this;
    if (at >= end) return -1;
    const code = source.charCodeAt(at);
    if (code === OPEN_BRACKET || code === OPEN_BRACE) return this.flow(at, end);
    const after = isQuote(code)
      ? readQuoted(source, at, end)
      : startsPlain(code)
        ? readFlowPlain(source, at, end)
        : -1;
    return after !== -1 && this.tree.scalar(scanned.value, this.line) ? after : -1;
  }

  private skipSpaces(at: number, end: number): number {
    let i = at;
    while (i < end && this.source.charCodeAt(i) === SPACE) i++;
    return i;
  }
}
