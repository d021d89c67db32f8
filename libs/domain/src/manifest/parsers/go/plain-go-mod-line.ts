/**
 * Where the first tokens of a plain go.mod line lie, filled by `scanPlainGoModLine` and reused line
 * after line, so reading a line allocates nothing until a token is kept.
 */
export class PlainGoModLine {
  /** Tokens before the comment (all of them, though only the first three are located). */
  count = 0;
  start0 = 0;
  end0 = 0;
  start1 = 0;
  end1 = 0;
  start2 = 0;
  end2 = 0;
  /** Where the text after `//` starts, or -1 when the line has no comment. */
  commentStart = -1;
}

const SLASH = 0x2f;
const QUOTE = 0x22;
const BACKTICK = 0x60;

/**
 * True when the line `text.slice(from, to)` before any `//` is ASCII without `"` or `` ` ``: no quoted token, no Unicode
 * space, so the line cannot hold a lexing error and its tokens are bare words and single
 * delimiters, split exactly where the general tokenizer splits them. `at` then holds the token
 * count and where the first three tokens lie, as indexes into `text`. Anything else returns false for the general path.
 */
export function scanPlainGoModLine(text: string, from: number, to: number, at: PlainGoModLine): boolean {
  const length = to;
  let count = 0;
  let i = from;
  at.commentStart = -1;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (isAsciiSpace(code)) {
      i++;
      continue;
    }
    if (code === SLASH && i + 1 < to && text.charCodeAt(i + 1) === SLASH) {
      at.commentStart = i + 2;
      break;
    }
    const start = i;
    if (isDelimiter(code)) i++;
    else {
      for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (
          isAsciiSpace(c) ||
          isDelimiter(c) ||
          (c === SLASH && i + 1 < to && text.charCodeAt(i + 1) === SLASH)
        )
          break;
        if (c > 0x7f || c === QUOTE || c === BACKTICK) return false;
      }
    }
    if (count === 0) {
      at.start0 = start;
      at.end0 = i;
    } else if (count === 1) {
      at.start1 = start;
      at.end1 = i;
    } else if (count === 2) {
      at.start2 = start;
      at.end2 = i;
    }
    count++;
  }
  at.count = count;
  return true;
}

/** True when the token at `start` is a delimiter; a bare word never starts with one. */
export function isDelimiterAt(text: string, start: number): boolean {
  return isDelimiter(text.charCodeAt(start));
}

/**
 * `isIndirect` on the comment `text.slice(from, to)` without building it, for a comment of ASCII: exactly
 * `indirect`, or `indirect;` and more words. Undefined when the comment holds other characters
 * (which `\s` may count as spaces) and the caller must ask `isIndirect`.
 */
export function plainIndirect(text: string, from: number, to: number): boolean | undefined {
  let start = from;
  let end = to;
  for (let i = from; i < end; i++) if (text.charCodeAt(i) > 0x7f) return undefined;
  while (start < end && isAsciiSpace(text.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  if (!text.startsWith('indirect', start)) return false;
  const after = start + 'indirect'.length;
  if (after === end) return true;
  // `indirect;` counts only as the first of several fields; the last character is not a space.
  return text.charCodeAt(after) === 0x3b && after + 1 < end && isAsciiSpace(text.charCodeAt(after + 1));
}

/** The ASCII characters `\s` matches: tab, line feed, vertical tab, form feed, carriage return, space. */
export function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** `(`, `)`, `[`, `]`, `,`, `{`, `}`: a token of their own. */
export function isDelimiter(code: number): boolean {
  return (
    code === 0x28 ||
    code === 0x29 ||
    code === 0x5b ||
    code === 0x5d ||
    code === 0x2c ||
    code === 0x7b ||
    code === 0x7d
  );
}
