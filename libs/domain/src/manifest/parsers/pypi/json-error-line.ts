import { normalizeText } from '../../manifest-text';

/**
 * Line of the first JSON syntax error. `JSON.parse` messages carry no position on every Node
 * version, so the text is re-read by a small validator that stops where the error is.
 */
export function jsonErrorLine(text: string): number | undefined {
  const normalized = normalizeText(text);
  try {
    const offset = findJsonError(normalized);
    return offset === undefined ? undefined : normalized.slice(0, offset).split('\n').length;
  } catch {
    // Only a nesting deep enough to exhaust the stack gets here; the line is then unknown.
    return undefined;
  }
}

class JsonErrorAt {
  constructor(readonly offset: number) {}
}

const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function findJsonError(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new JsonErrorAt(i);
  };
  const whitespace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text.charAt(i + 1);
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== '' && '"\\/bfnrt'.includes(next)) i += 2;
        else fail();
      } else if (c < ' ') {
        fail();
      } else {
        i++;
      }
    }
    fail();
  };
  const value = (): void => {
    whitespace();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      whitespace();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          whitespace();
          if (text[i] !== '"') fail();
          string();
          whitespace();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        whitespace();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    LITERAL.lastIndex = i;
    const literal = LITERAL.exec(text);
    if (!literal) fail();
    else i += literal[0].length;
  };
  try {
    value();
    whitespace();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof JsonErrorAt) return error.offset;
    throw error;
  }
}
