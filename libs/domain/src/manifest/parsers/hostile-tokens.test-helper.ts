// Shared by the parsers' property specs: hostile text and damaged files, and what every parser must
// return for them whatever they hold: the two arrays, well-formed, the same on a second run, and no
// exception.
import fc from 'fast-check';
import type { ManifestParser, ManifestParseResult, ParseOptions } from '../manifest.types';

/** Control characters, line and paragraph separators, BOM, bidi and zero-width marks, lone surrogates, combining marks, look-alikes. */
export const ODD_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u000b',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '\u202e',
  '\ud800',
  '\udfff',
  '\u0301',
  '\u017f',
  '\u212a',
  '\u{1f600}',
  '\uffff',
  '\\',
  '"',
  "'",
] as const;

/** Numbers no version or integer field expects. */
export const HUGE_NUMBERS = [
  '9'.repeat(400),
  '18446744073709551616',
  '-9223372036854775809',
  '1e999',
  '-0',
  '0x1F',
  '1_000',
  'NaN',
  'Infinity',
  '1.0e+309',
  '00000000000000000001',
] as const;

/** Text built from a format's own tokens, odd characters, huge numbers and long runs of any of them. */
export function hostileText(tokens: readonly string[], maxPieces = 40): fc.Arbitrary<string> {
  const atoms = [...tokens, ...ODD_CHARACTERS, ...HUGE_NUMBERS];
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_CHARACTERS) },
    { weight: 1, arbitrary: fc.constantFrom(...HUGE_NUMBERS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...atoms), fc.integer({ min: 2, max: 3_000 }))
        .map(([atom, times]) => atom.repeat(times)),
    },
  );
  return fc.array(piece, { maxLength: maxPieces }).map((pieces) => pieces.join(''));
}

/** A valid file damaged: cut short, a stretch repeated, hostile text put in, odd characters strewn. */
export function damaged(valid: string, tokens: readonly string[]): fc.Arbitrary<string> {
  const at = fc.nat({ max: valid.length });
  return fc.oneof(
    at.map((end) => valid.slice(0, end)),
    fc.tuple(at, at, fc.integer({ min: 2, max: 50 })).map(([a, b, times]) => {
      const [start, end] = a <= b ? [a, b] : [b, a];
      return valid.slice(0, end) + valid.slice(start, end).repeat(times) + valid.slice(end);
    }),
    fc
      .tuple(at, hostileText(tokens, 10))
      .map(([where, text]) => valid.slice(0, where) + text + valid.slice(where)),
    fc
      .array(fc.tuple(at, fc.constantFrom(...ODD_CHARACTERS)), { minLength: 1, maxLength: 8 })
      .map((inserts) =>
        [...inserts]
          .sort(([a], [b]) => b - a)
          .reduce((text, [where, char]) => text.slice(0, where) + char + text.slice(where), valid),
      ),
  );
}

const SEVERITIES = ['info', 'warning', 'error'];
const SCOPES = ['runtime', 'dev', 'optional'];

/**
 * Parses `text` twice and checks what every parser promises: it returns (never throws) the two
 * arrays; each dependency is of the parser's ecosystem with a name, a version or null, a scope,
 * a manifest path and a line inside the file; each diagnostic has a severity, a stable code and a
 * message; and the same input gives the same result.
 */
export function expectWellFormed(
  parser: ManifestParser,
  path: string,
  text: string,
  options?: ParseOptions,
): ManifestParseResult {
  const result = parser.parse(path, text, options);
  const lines = text.split(/\r\n|\r|\n/).length;
  expect(Array.isArray(result.dependencies)).toBe(true);
  expect(Array.isArray(result.diagnostics)).toBe(true);
  for (const dependency of result.dependencies) {
    expect(dependency.ecosystem).toBe(parser.ecosystem);
    expect(typeof dependency.name).toBe('string');
    expect(dependency.name.trim()).not.toBe('');
    expect(
      dependency.version === null || (typeof dependency.version === 'string' && dependency.version !== ''),
    ).toBe(true);
    expect(SCOPES).toContain(dependency.scope);
    expect(typeof dependency.direct).toBe('boolean');
    expect(typeof dependency.manifestPath).toBe('string');
    if (dependency.manifestPath === path && dependency.line !== undefined) {
      expect(Number.isInteger(dependency.line) && dependency.line >= 1 && dependency.line <= lines).toBe(
        true,
      );
    }
  }
  for (const diagnostic of result.diagnostics) {
    expect(SEVERITIES).toContain(diagnostic.severity);
    expect(diagnostic.code).toMatch(/^[A-Z][A-Z_]*$/);
    expect(typeof diagnostic.message).toBe('string');
    expect(diagnostic.message).not.toBe('');
    if (diagnostic.line !== undefined) {
      expect(Number.isInteger(diagnostic.line) && diagnostic.line >= 1 && diagnostic.line <= lines).toBe(
        true,
      );
    }
  }
  expect(parser.parse(path, text, options)).toEqual(result);
  return result;
}

/** Mostly one of `usual`, sometimes one of `unusual`: a format's shapes and near misses of them. */
export function mostly(usual: readonly string[], unusual: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...unusual) },
  );
}

/** fast-check settings for parser properties: enough runs to find breakage, few enough to stay quick. */
export const PROPERTY_RUNS = { numRuns: 150 } as const;
