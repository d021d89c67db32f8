// Shared by the one-pass lock readers (YAML and TOML).

/**
 * Short strings recently read, by a hash of length and end characters. A lock repeats the same
 * keys and versions thousands of times (`resolution`, `dependencies`, `1.0.0`): handing out one
 * string spares a copy each time and lets V8 find an object key it has already interned. Only
 * strings V8 copies on slicing (under 13 characters) are kept, so none holds on to the source.
 */
const RECENT = new Array<string | undefined>(1024).fill(undefined);
const MAX_RECENT_LENGTH = 12;

export function textAt(source: string, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_RECENT_LENGTH || length === 0) return source.slice(start, end);
  const slot = (length * 61 + source.charCodeAt(start) * 31 + source.charCodeAt(end - 1)) & 1023;
  const recent = RECENT[slot];
  if (recent !== undefined && recent.length === length && source.startsWith(recent, start)) return recent;
  const text = source.slice(start, end);
  RECENT[slot] = text;
  return text;
}
