import fc from 'fast-check';
import { EnvVarExpander } from './env-var-expander';

const REFERENCE = /\$\{([A-Z0-9_]+)\}/g;

/** What pip's expression gives: the expanded line and its unset references, each once, in order. */
function byExpression(line: string, env: Readonly<Record<string, string>>): [string, string[]] {
  const text = line.replace(REFERENCE, (reference, name: string) =>
    Object.hasOwn(env, name) ? (env[name] as string) : reference,
  );
  const unset = new Set(
    [...line.matchAll(REFERENCE)]
      .filter(([, name]) => !Object.hasOwn(env, name as string))
      .map(([reference]) => reference),
  );
  return [text, [...unset]];
}

function byExpander(expander: EnvVarExpander, line: string): [string, string[]] {
  const unknown: string[] = [];
  return [expander.expand(line, unknown), unknown];
}

const env = { A: '1', B_2: '2.0' };
const piece = fc.constantFrom('${', '}', '$', '{', 'A', 'B_2', 'C', 'D', '9', '_', 'x', ' ', '${A}', '${C}');
// Long enough lines that the table grows past its first size on some of them.
const line = fc.array(piece, { maxLength: 400 }).map((pieces) => pieces.join(''));

describe('EnvVarExpander', () => {
  it('expands and lists each unset reference once per line as the expression does, line after line', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const expander = new EnvVarExpander(env);
        for (const text of lines) expect(byExpander(expander, text)).toEqual(byExpression(text, env));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same answers once the probes run out and the line is kept apart by a Set', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 4 }), fc.constantFrom(0, 1, 2), (lines, maxProbes) => {
        const expander = new EnvVarExpander(env, maxProbes);
        for (const text of lines) expect(byExpander(expander, text)).toEqual(byExpression(text, env));
      }),
      { numRuns: 200 },
    );
  });

  it('lists thousands of distinct references of one line, each once', () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `\${V${i}}`);
    const text = `a==1 ${names.join('')}${names.join('')}`;
    const expander = new EnvVarExpander(undefined);
    for (let i = 0; i < 3; i++) expect(byExpander(expander, text)).toEqual([text, names]);
  });
});
