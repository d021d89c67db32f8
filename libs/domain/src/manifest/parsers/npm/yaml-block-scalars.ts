// Scalars of the YAML subset lock writers emit, read on one line. Each reader returns where the
// scalar ends, or -1 when the text leaves the subset (the caller then hands the whole file to
// js-yaml), and leaves the scalar's value in `scanned.value`.

import { textAt } from '../recent-text';

export const SPACE = 0x20;
export const HASH = 0x23;
export const DASH = 0x2d;
export const COMMA = 0x2c;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** YAML caps an implicit key at 1024 characters; past that js-yaml may refuse, so this reader does. */
const MAX_KEY_LENGTH = 1024;

/** Bit 1: may not start a plain scalar (YAML's indicators). Bit 2: ends a plain scalar in flow. */
const INDICATOR = 1;
const FLOW = 2;
const ASCII = new Uint8Array(128);
for (const char of '-?:,[]{}#&*!|>\'"%@`') ASCII[char.charCodeAt(0)] = INDICATOR;
for (const char of ',[]{}') ASCII[char.charCodeAt(0)] = INDICATOR | FLOW;

export const scanned = { value: '' };

/**
 * Visible characters other than a space. Tabs, controls, line and paragraph separators, a BOM,
 * surrogates (astral characters) and non-characters leave the subset: js-yaml refuses some of
 * them, and lock writers emit none.
 */
function isVisible(code: number): boolean {
  if (code < 0x7f) return code > SPACE;
  return (
    code >= 0xa0 &&
    (code < 0xd800 || (code > 0xdfff && code < 0xfffe && code !== 0xfeff)) &&
    code !== 0x2028 &&
    code !== 0x2029
  );
}

/** May start a plain scalar: visible and not an indicator. */
export function startsPlain(code: number): boolean {
  return code < 0x80 ? code > SPACE && code < 0x7f && ASCII[code] === 0 : isVisible(code);
}

/** A comment from `#` at `start` to `end`: what it holds must still be printable. */
export function isComment(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code !== SPACE && !isVisible(code)) return false;
  }
  return true;
}

/** `'…'` (a doubled quote is one quote) or `"…"` without escapes, closed on its line. */
export function readQuoted(source: string, start: number, end: number): number {
  const quote = source.charCodeAt(start);
  let doubled = false;
  for (let i = start + 1; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === quote) {
      if (quote === SINGLE_QUOTE && source.charCodeAt(i + 1) === SINGLE_QUOTE) {
        doubled = true;
        i++;
        continue;
      }
      const text = textAt(source, start + 1, i);
      scanned.value = doubled ? text.replaceAll("''", "'") : text;
      return i + 1;
    }
    if ((code === BACKSLASH && quote === DOUBLE_QUOTE) || (code !== SPACE && !isVisible(code))) return -1;
  }
  return -1;
}

export function isQuote(code: number): boolean {
  return code === SINGLE_QUOTE || code === DOUBLE_QUOTE;
}

/**
 * A block mapping's key up to its `:` (followed by a space or the line's end); returns the index
 * after the colon. Quotes, `#` and flow indicators inside a plain key, or a space before the
 * colon, leave the subset.
 */
export function readBlockKey(source: string, start: number, end: number): number {
  const first = source.charCodeAt(start);
  let colon: number;
  if (isQuote(first)) {
    colon = readQuoted(source, start, end);
    if (colon === -1 || colon - start > MAX_KEY_LENGTH) return -1;
    if (source.charCodeAt(colon) !== COLON) return -1;
  } else {
    if (!startsPlain(first)) return -1;
    colon = plainKeyEnd(source, start, end, false);
    if (colon === -1) return -1;
    scanned.value = textAt(source, start, colon);
  }
  const after = colon + 1;
  return after === end || source.charCodeAt(after) === SPACE ? after : -1;
}

/** Where a plain key's `:` is: the first colon followed by a space (or, in block, the line's end). */
function plainKeyEnd(source: string, start: number, end: number, flow: boolean): number {
  const last = Math.min(end, start + MAX_KEY_LENGTH);
  for (let i = start; i < last; i++) {
    const code = source.charCodeAt(i);
    if (code === COLON) {
      const next = i + 1 === end ? -1 : source.charCodeAt(i + 1);
      if (next === SPACE || (next === -1 && !flow)) return source.charCodeAt(i - 1) === SPACE ? -1 : i;
    } else if (code === HASH || isQuote(code) || (code !== SPACE && !isVisible(code))) {
      return -1;
    } else if (code < 0x80 && (ASCII[code] & FLOW) !== 0) {
      return -1;
    }
  }
  return -1;
}

/** A flow mapping's plain or quoted key up to its `:`, which a space must follow; index after the colon. */
export function readFlowKey(source: string, start: number, end: number): number {
  const first = source.charCodeAt(start);
  let colon: number;
  if (isQuote(first)) {
    colon = readQuoted(source, start, end);
    if (colon === -1 || source.charCodeAt(colon) !== COLON) return -1;
  } else {
    if (!startsPlain(first)) return -1;
    colon = plainKeyEnd(source, start, end, true);
    if (colon === -1) return -1;
    scanned.value = textAt(source, start, colon);
  }
  return source.charCodeAt(colon + 1) === SPACE && colon + 1 < end ? colon + 1 : -1;
}

/**
 * A plain value in block context, to a comment (` #`) or the line's end, trailing spaces dropped;
 * returns its end. A `: ` inside (a mapping on one line) leaves the subset.
 */
export function readBlockPlain(source: string, start: number, end: number): number {
  let last = start;
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === SPACE) {
      if (source.charCodeAt(i + 1) === HASH) break;
      continue;
    }
    if (code === COLON) {
      if (i + 1 === end || source.charCodeAt(i + 1) === SPACE) return -1;
    } else if (!isVisible(code)) {
      return -1;
    }
    last = i + 1;
  }
  scanned.value = textAt(source, start, last);
  return last;
}

/**
 * A plain value in a flow collection, up to `,`, `]` or `}`, trailing spaces dropped; returns its
 * end. A nested bracket, a comment, a `:` pair or the line's end inside leaves the subset.
 */
export function readFlowPlain(source: string, start: number, end: number): number {
  let last = start;
  for (let i = start; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === SPACE) {
      if (source.charCodeAt(i + 1) === HASH) return -1;
      continue;
    }
    if (code < 0x80 && (ASCII[code] & FLOW) !== 0) {
      if (code !== COMMA && code !== CLOSE_BRACKET && code !== CLOSE_BRACE) return -1;
      scanned.value = textAt(source, start, last);
      return last;
    }
    if (code === COLON) {
      const next = source.charCodeAt(i + 1);
      if (i + 1 === end || next === SPACE || (next < 0x80 && (ASCII[next] & FLOW) !== 0)) return -1;
    } else if (!isVisible(code)) {
      return -1;
    }
    last = i + 1;
  }
  return -1;
}
