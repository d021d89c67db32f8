interface Occurrences {
  readonly offsets: number[];
  readonly lines: number[];
  next: number;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** True when the quote at `index` is escaped by an odd number of backslashes. */
function isEscaped(text: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && text.charCodeAt(i) === 0x5c; i--) slashes++;
  return slashes % 2 === 1;
}

/**
 * 1-based lines of the `"key": {` openings in JSON text, found in one pass. Callers walk the
 * parsed object in document order and ask for each key in turn, so a name that appears many
 * times (nested copies in a v1 lock file) gets the line of its next occurrence. Linear time: it
 * visits each `{` once and reads back to its key, which is much faster than matching every quote.
 */
export class JsonKeyLines {
  private readonly byKey = new Map<string, Occurrences>();
  private cursor = -1;

  constructor(text: string) {
    let line = 1;
    let newline = text.indexOf('\n');
    for (let brace = text.indexOf('{'); brace !== -1; brace = text.indexOf('{', brace + 1)) {
      let i = brace - 1;
      while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
      // charCodeAt, not text[i]: optimised code slowed to a crawl on the keyed reads (i may be -1).
      if (text.charCodeAt(i) !== 0x3a) continue;
      i--;
      while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
      if (text.charCodeAt(i) !== 0x22 || isEscaped(text, i)) continue;
      const end = i;
      let start = text.lastIndexOf('"', end - 1);
      while (start > 0 && isEscaped(text, start)) start = text.lastIndexOf('"', start - 1);
      if (start === -1) continue;
      const key = text.slice(start + 1, end);
      if (key.includes('\n')) continue;

      while (newline !== -1 && newline < start) {
        line++;
        newline = text.indexOf('\n', newline + 1);
      }
      const occurrences = this.byKey.get(key);
      if (occurrences) {
        occurrences.offsets.push(start);
        occurrences.lines.push(line);
      } else {
        this.byKey.set(key, { offsets: [start], lines: [line], next: 0 });
      }
    }
  }

  /** Line of the next occurrence of `key` after the previous answer; the first one if out of order. */
  next(key: string): number | undefined {
    const occurrences = this.byKey.get(key);
    if (!occurrences) return undefined;
    const { offsets, lines } = occurrences;
    while (occurrences.next < offsets.length && (offsets[occurrences.next] as number) <= this.cursor) {
      occurrences.next++;
    }
    if (occurrences.next >= offsets.length) return lines[0];
    this.cursor = offsets[occurrences.next] as number;
    return lines[occurrences.next++];
  }
}
