// Shared by the parsers' property specs: hostile text, hostile edits of a good file, and what every
// parser's answer to them must look like. A parser may refuse input; it may never throw, answer
// with a malformed result or grow a value beyond what it read. How fast it reads is measured by
// `npm run bench:parsers` (bench/parser-worst-cases.ts), never by a timed test.
import fc from 'fast-check';
import { isEcosystem } from '../../ecosystem/ecosystem.value-object';
import { dependencyIdentity } from '../dedupe-dependencies';
import { parseManifest } from '../manifest-registry';
import type { ManifestParser, ManifestParseResult, ParsedDependency } from '../manifest.types';

// A few hundred cases per property keep each spec file well under five seconds.
export const RUNS = { numRuns: 150 };

/** Characters that have broken text parsers: NUL, BOMs, bidi and zero-width marks, lone surrogates. */
const ODD = [
  '\u0000',
  '\uFEFF',
  '\u200B',
  '\u202E',
  '\u2028',
  '\u00A0',
  '\uD800',
  '\uDFFF',
  '\u{1F600}',
  '\r',
  '\r\n',
  '\t',
  'İ',
  'ß',
  '\\',
  '"',
  "'",
  '`',
  '$',
  '${',
  '}',
  '&',
  '<',
  '>',
  '=',
  ':',
  '#',
  '//',
  '(',
  ')',
  '[',
  ']',
  '{',
];

/** One piece of hostile text: odd characters, long runs, huge numbers, deep nesting, anything. */
export const hostileChunk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...ODD),
  fc
    .tuple(fc.constantFrom(...ODD, 'a', ' ', '9', '-', '.'), fc.integer({ min: 50, max: 5_000 }))
    .map(([piece, times]) => piece.repeat(times)),
  fc.bigInt({ min: 10n ** 20n, max: 10n ** 60n }).map(String),
);

/** Hostile text from scratch. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof(hostileChunk, fc.constant('\n')), { maxLength: 30 })
  .map((parts) => parts.join(''));

/**
 * Edits of a well-formed file: cut short anywhere, a line or a run of lines repeated, hostile text
 * inserted, a line replaced. Several at once.
 */
export function hostileEdits(valid: string): fc.Arbitrary<string> {
  const edit = fc.oneof(
    fc.nat().map((at) => (text: string) => text.slice(0, at % (text.length + 1))),
    fc
      .tuple(fc.nat(), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 5 }))
      .map(([at, count, times]) => (text: string) => {
        const lines = text.split('\n');
        const start = at % lines.length;
        const block = lines.slice(start, start + count);
        return [
          ...lines.slice(0, start),
          ...Array.from({ length: times }, () => block).flat(),
          ...lines.slice(start),
        ].join('\n');
      }),
    fc.tuple(fc.nat(), hostileChunk).map(([at, chunk]) => (text: string) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + chunk + text.slice(i);
    }),
    fc.tuple(fc.nat(), hostileChunk).map(([at, chunk]) => (text: string) => {
      const lines = text.split('\n');
      lines[at % lines.length] = chunk;
      return lines.join('\n');
    }),
  );
  return fc
    .array(edit, { minLength: 1, maxLength: 4 })
    .map((edits) => edits.reduce((text, e) => e(text), valid));
}

const SEVERITIES = new Set(['info', 'warning', 'error']);
const SCOPES = new Set(['runtime', 'dev', 'optional']);

/**
 * Runs the parser itself (not parseManifest, whose guard would hide a throw) and checks its answer
 * is well-formed: dependencies of its ecosystem and path with names, lines inside the file, and no
 * value longer than the file or 1 KiB (nothing expands); diagnostics with a stable code.
 */
export function parseSafely(parser: ManifestParser, path: string, text: string): ManifestParseResult {
  const result = parser.parse(path, text);
  const lines = text.split(/\r\n?|\n/).length;
  const longest = Math.max(1024, text.length);
  const inFile = (line: number | undefined) =>
    line === undefined || (Number.isInteger(line) && line >= 1 && line <= lines);
  for (const d of result.dependencies) {
    const problems = [
      (parser.ecosystem === null ? !isEcosystem(d.ecosystem) : d.ecosystem !== parser.ecosystem) &&
        'ecosystem',
      (typeof d.name !== 'string' || d.name === '' || d.name.length > longest) && 'name',
      !(
        d.version === null ||
        (typeof d.version === 'string' && d.version !== '' && d.version.length <= longest)
      ) && 'version',
      d.manifestPath !== path && 'manifestPath',
      !SCOPES.has(d.scope) && 'scope',
      typeof d.direct !== 'boolean' && 'direct',
      !inFile(d.line) && 'line',
    ].filter(Boolean);
    if (problems.length > 0)
      throw new Error(`malformed dependency (${problems.join(', ')}): ${JSON.stringify(d)}`);
  }
  for (const d of result.diagnostics) {
    if (
      !SEVERITIES.has(d.severity) ||
      !/^[A-Z][A-Z_]*$/.test(d.code) ||
      typeof d.message !== 'string' ||
      !inFile(d.line)
    )
      throw new Error(`malformed diagnostic: ${JSON.stringify(d).slice(0, 300)}`);
  }
  return result;
}

/** What a scan stores for the file: never the same dependency twice. */
export function expectOnePerIdentity(path: string, text: string): void {
  const identities = parseManifest(path, text).dependencies.map(dependencyIdentity);
  if (new Set(identities).size !== identities.length) throw new Error(`${path}: a dependency came out twice`);
}

/**
 * The model the round-trip properties compare against: what a file declaring these entries, in
 * this order, must come out as — each name and version once, at its first line, direct if any
 * declaration was, in the widest scope any gave it.
 */
export function declaredOnce(entries: readonly ParsedDependency[]): ParsedDependency[] {
  const widest = { runtime: 2, optional: 1, dev: 0 } as const;
  const kept = new Map<string, ParsedDependency>();
  for (const e of entries) {
    const key = `${e.name} ${e.version ?? ''}`;
    const earlier = kept.get(key);
    kept.set(
      key,
      earlier
        ? {
            ...earlier,
            direct: earlier.direct || e.direct,
            scope: widest[e.scope] > widest[earlier.scope] ? e.scope : earlier.scope,
          }
        : e,
    );
  }
  return [...kept.values()];
}

/**
 * The two properties every format shares: arbitrary text (also inside `wrap`, the format's outer
 * shell) never throws and answers well-formed; a real file cut short, with lines repeated or
 * replaced by hostile text, never throws nor yields a dependency twice.
 */
export function itSurvivesHostileInput(
  parser: ManifestParser,
  path: string,
  valid: string,
  { entries, wrap }: { entries: string; wrap?: (text: string) => string },
): void {
  const parse = (text: string) => parseSafely(parser, path, text);
  it('never throws on arbitrary text, and answers well-formed', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        parse(text);
        if (wrap) parse(wrap(text));
      }),
      RUNS,
    );
  });

  it(`reads a real ${path} cut short, with lines repeated or replaced by hostile text, without throwing or repeating ${entries}`, () => {
    fc.assert(
      fc.property(hostileEdits(valid), (text) => {
        parse(text);
        expectOnePerIdentity(path, text);
      }),
      RUNS,
    );
  });
}
