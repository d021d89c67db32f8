/** Where JSON text first breaks: offset from 0, line and column from 1, and what was wrong. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]?\d+)?/iy;
const LITERALS = ['true', 'false', 'null'];
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Where the first JSON syntax error is. `JSON.parse` only sometimes tells (and differently per
 * Node version), so this small scanner runs after it fails. Iterative: deep nesting cannot
 * overflow the stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const closers: string[] = [];
  let i = 0;
  const fail = (reason: string): JsonSyntaxError => {
    const at = Math.min(i, text.length);
    let line = 1;
    let lineStart = 0;
    for (let nl = text.indexOf('\n'); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    return { offset: at, line, column: at - lineStart + 1, reason };
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const found = () => (i < text.length ? `'${text[i]}'` : 'the end of the file');
  /** Reads a string at `i`; returns a reason when it is broken. */
  const readString = (): string | null => {
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        const next = text[i + 1] ?? '';
        if (next === 'u' && /^[0-9a-f]{4}$/i.test(text.slice(i + 2, i + 6))) i += 6;
        else if (ESCAPES.has(next)) i += 2;
        else {
          i++;
          return 'invalid escape in string';
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return 'line break or control character inside a string';
      i++;
    }
    return 'unterminated string';
  };

  let expect: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    skipSpace();
    if (expect === 'value') {
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          expect = 'after';
        } else {
          closers.push(c === '{' ? '}' : ']');
          expect = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        const broken = readString();
        if (broken) return fail(broken);
        expect = 'after';
      } else if (c !== undefined && /[-0-9]/.test(c)) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail('invalid number');
        i = NUMBER.lastIndex;
        expect = 'after';
      } else {
        const literal = LITERALS.find((word) => text.startsWith(word, i));
        if (!literal) return fail(`expected a value, found ${found()}`);
        i += literal.length;
        expect = 'after';
      }
    } else if (expect === 'key') {
      if (text[i] !== '"') return fail(`expected a property name in double quotes, found ${found()}`);
      const broken = readString();
      if (broken) return fail(broken);
      skipSpace();
      if (text[i] !== ':') return fail(`expected ':' after a property name, found ${found()}`);
      i++;
      expect = 'value';
    } else {
      const closer = closers[closers.length - 1];
      if (closer === undefined) return i < text.length ? fail('unexpected content after the end') : null;
      if (text[i] === ',') {
        i++;
        expect = closer === '}' ? 'key' : 'value';
      } else if (text[i] === closer) {
        i++;
        closers.pop();
      } else {
        return fail(`expected ',' or '${closer}', found ${found()}`);
      }
    }
  }
}
