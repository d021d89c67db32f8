/**
 * Far deeper than any lock file (an npm v1 tree nests two levels per install level, and trees
 * thousands of installs deep are read). Past it the JSON is crafted: `JSON.parse` slows down more
 * than linearly on nesting millions deep, so such text is refused before parsing.
 */
export const MAX_JSON_NESTING = 20_000;

/** The 1-based line where `[`/`{` outside strings first nest deeper than `limit`, in one pass. */
export function jsonNestingPastLimit(text: string, limit = MAX_JSON_NESTING): number | undefined {
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) line++;
    else if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return line;
    } else if ((code === 0x5d || code === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}
