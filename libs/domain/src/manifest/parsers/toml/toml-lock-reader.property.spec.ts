import fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { ManifestParser } from '../../manifest.types';
import { cargoLockParser } from '../cargo/cargo-lock.parser';
import { damaged } from '../hostile-tokens.test-helper';
import { pdmLockParser } from '../pypi/pdm-lock.parser';
import { poetryLockParser } from '../pypi/poetry-lock.parser';
import { uvLockParser } from '../pypi/uv-lock.parser';
import { readTomlLock } from './toml-lock-reader';

const PARSERS: Record<string, ManifestParser> = {
  'poetry.lock': poetryLockParser,
  'uv.lock': uvLockParser,
  'pdm.lock': pdmLockParser,
  'Cargo.lock': cargoLockParser,
};

/** The parsers as they were before the one-pass reader: it always declines, so smol-toml reads every file. */
const declined = jest.fn(() => undefined);
const before: Record<string, ManifestParser> = {};
jest.isolateModules(() => {
  jest.doMock('./toml-lock-reader', () => ({ readTomlLock: declined }));
  before['poetry.lock'] = jest.requireActual<typeof import('../pypi/poetry-lock.parser')>(
    '../pypi/poetry-lock.parser',
  ).poetryLockParser;
  before['uv.lock'] =
    jest.requireActual<typeof import('../pypi/uv-lock.parser')>('../pypi/uv-lock.parser').uvLockParser;
  before['pdm.lock'] =
    jest.requireActual<typeof import('../pypi/pdm-lock.parser')>('../pypi/pdm-lock.parser').pdmLockParser;
  before['Cargo.lock'] = jest.requireActual<typeof import('../cargo/cargo-lock.parser')>(
    '../cargo/cargo-lock.parser',
  ).cargoLockParser;
});

// Shrinking a whole generated lock runs for minutes; a failure reports the text as generated.
const RUNS = { numRuns: 400, endOnFailure: true } as const;

const PACKAGE_HEADER = /^\s*\[\[\s*package\s*\]\]\s*(?:#.*)?$/;

/** The reader declines `text`, or reads it exactly as smol-toml does; true when it read it. */
function expectDeclinedOrSame(text: string): boolean {
  const fast = readTomlLock(text);
  if (fast === undefined) return false;
  expect(parse(text)).toStrictEqual(fast.table);
  const headers = text.split('\n').flatMap((line, index) => (PACKAGE_HEADER.test(line) ? [index + 1] : []));
  expect(fast.packageLines).toStrictEqual(headers);
  return true;
}

/** What a parse gave, or the error it threw (parseManifest turns that into PARSER_FAILED). */
function outcome(parser: ManifestParser | undefined, path: string, text: string): unknown {
  try {
    return parser?.parse(path, text);
  } catch (error) {
    return { threw: String(error) };
  }
}

/** Every parser's whole answer, dependencies and diagnostics, is what the smol-toml path gives. */
function expectSameParses(text: string): void {
  for (const [path, parser] of Object.entries(PARSERS)) {
    expect(outcome(parser, path, text)).toStrictEqual(outcome(before[path], path, text));
  }
}

const TOML_TOKENS = [
  '[[package]]\n',
  '[package.dependencies]\n',
  '[[package.wheels]]\n',
  '[metadata]\n',
  'name = ',
  'version = ',
  ' = ',
  '"a"',
  "'a'",
  '"""',
  "'''",
  '\\',
  '\\u0041',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  '#',
  '\n',
  '  ',
  '\t',
  '1.5',
  '1979-05-27',
  '007',
  'true',
  '__proto__',
];

/** Strings a lock may hold: versions, URLs, quotes, backslashes, control characters, astral ones. */
const text = fc.oneof(
  fc.constantFrom(
    '1.0.0',
    'same',
    '',
    ' padded ',
    'main',
    'https://pypi.org/simple',
    'registry+https://github.com/rust-lang/crates.io-index',
    'a"b',
    "it's",
    'back\\slash',
    'tab\there',
    'line\nbreak',
    '\u001b[0m',
    'ünïcode',
    '\u{1f600}',
    '[[package]]',
    '# not a comment',
  ),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

/** TOML's basic-string escapes, and `\u` for other control characters. */
function basic(value: string): string {
  const escapes: Record<string, string> = {
    '"': '\\"',
    '\\': '\\\\',
    '\b': '\\b',
    '\t': '\\t',
    '\n': '\\n',
    '\f': '\\f',
    '\r': '\\r',
    '\u001b': '\\e',
  };
  // eslint-disable-next-line no-control-regex -- control characters are what needs escaping
  return `"${value.replace(/["\\\u0000-\u001f\u007f]/g, (c) => escapes[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** A string as a lock writer might spell it: basic with escapes, or literal where it can be. */
const stringToken = fc.tuple(text, fc.boolean()).map(([value, literal]) =>
  // eslint-disable-next-line no-control-regex -- a literal string cannot hold control characters
  literal && !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(value) ? `'${value}'` : basic(value),
);

const key = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('name', 'version', 'source', 'dependencies', 'groups', 'optional'),
  },
  { weight: 2, arbitrary: fc.constantFrom('x-y', 'k_1', '1', 'files', 'hash', 'size', 'extra', 'registry') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"zope.interface"', '"a b"', '"name"', "'lit'", 'a.b', '__proto__', '""'),
  },
);

const scalarToken = fc.oneof(
  { weight: 45, arbitrary: stringToken },
  { weight: 15, arbitrary: fc.integer({ min: -100_000, max: 100_000 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'true',
      'false',
      '0',
      '-0',
      '+1',
      '007',
      '1_000',
      '1.5',
      'inf',
      '1979-05-27',
      '07:32:00',
      '9'.repeat(20),
    ),
  },
);

/** Values spelled as writers do: arrays over lines with trailing commas and comments, one-line inline tables. */
const valueToken: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 20, arbitrary: scalarToken },
    // Nesting around the parsers' limit (32) and the reader's own.
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 40 }).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.array(tie('value'), { maxLength: 3 }), fc.boolean(), fc.boolean(), fc.boolean())
        .map(([items, multiline, trailing, comment]) =>
          multiline
            ? `[\n${items.map((item) => `    ${item},${comment ? ' # c' : ''}\n`).join('')}]`
            : `[${items.join(', ')}${trailing && items.length > 0 ? ',' : ''}]`,
        ),
    },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.tuple(key, tie('value')), { maxLength: 3 })
        .map((entries) =>
          entries.length === 0
            ? '{}'
            : `{ ${entries.map(([k, v]) => `${k} = ${v.replace(/\n/g, ' ')}`).join(', ')} }`,
        ),
    },
  ),
})).value;

/** After a value: nothing, blanks, or a comment of any text (control characters are TOML's to refuse). */
const lineTail = fc.oneof(
  fc.constantFrom('', '', ' # note', '  ', '\t'),
  text.map((comment) => ` #${comment.replace(/[\n\r]/g, '')}`),
);

const keyValueLine = fc
  .tuple(key, valueToken, lineTail, fc.constantFrom('', '', '  '))
  .map(([name, value, after, indent]) => ({ name, line: `${indent}${name} = ${value}${after}` }));

/** Key/value lines, their keys distinct as in a valid table, now and then one repeated. */
const keyValueLines = (maxLength: number) =>
  fc
    .tuple(
      fc.uniqueArray(keyValueLine, { selector: ({ name }) => name, maxLength }),
      fc.option(keyValueLine, { freq: 8 }),
    )
    .map(([lines, extra]) => [...lines, ...(extra === null ? [] : [extra])].map(({ line }) => line));

const header = fc.oneof(
  { weight: 5, arbitrary: fc.constant('[[package]]') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '[metadata]',
      '[package.dependencies]',
      '[package.optional-dependencies]',
      '[package.dev-dependencies]',
      '[[package.wheels]]',
      '[package.metadata]',
      '[package.metadata.requires-dev]',
      '[manifest]',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '[[package]] # x',
      '  [[package]]',
      '[ package ]',
      '[["package"]]',
      '[package]',
      '[[metadata]]',
      '[a."b".c]',
      '[[package]]\u2028',
      '[[package]] # \u2029 x',
    ),
  },
);

const section = fc
  .tuple(header, keyValueLines(5), fc.constantFrom('', '\n', '# comment\n'))
  .map(([head, lines, gap]) => [head, ...lines].join('\n') + '\n' + gap);

/**
 * TOML lock files as poetry, uv, pdm and Cargo write them, with near misses mixed in: now and then
 * a section repeats an earlier one's header, a redefinition TOML refuses.
 */
const lockText = fc
  .tuple(
    keyValueLines(3),
    fc.array(section, { maxLength: 6 }),
    fc.boolean(),
    fc.option(fc.nat(), { freq: 4 }),
  )
  .map(([top, sections, finalNewline, repeat]) => {
    if (repeat !== null && sections.length > 1) {
      const from = sections[repeat % sections.length] as string;
      sections.push(from.slice(0, from.indexOf('\n') + 1));
    }
    const body = [...top.map((line) => `${line}\n`), ...sections].join('\n');
    return finalNewline ? body : body.replace(/\n$/, '');
  });

/** Real fixtures that are valid TOML. */
const FIXTURES = [
  ...[
    'poetry/poetry-1.1.lock',
    'poetry/poetry-2.0.lock',
    'poetry/poetry-2.lock',
    'uv/uv.lock',
    'uv/uv-workspace.lock',
    'pdm/pdm.lock',
    'pdm/pdm-legacy.lock',
  ].map(manifestFixtures('pypi')),
  ...['Cargo.lock', 'v1.Cargo.lock', 'future-version.Cargo.lock', 'empty.Cargo.lock'].map(
    manifestFixtures('cargo'),
  ),
];

/** A line dropped, repeated or cut: damage that keeps lines whole, which the reader often still takes. */
const damagedLines = (valid: string) =>
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'repeat', 'cut')).map(([a, b, how]) => {
    const lines = valid.split('\n');
    const i = a % lines.length;
    if (how === 'drop') lines.splice(i, 1);
    else if (how === 'repeat') lines.splice(i, 0, lines[i] as string);
    else lines.splice(i, lines.length, (lines[i] as string).slice(0, b % ((lines[i] as string).length + 1)));
    return lines.join('\n');
  });

describe('the one-pass TOML lock reader against smol-toml', () => {
  it('compares with parsers whose reader always declines', () => {
    before['uv.lock']?.parse('uv.lock', FIXTURES[3] as string);
    expect(declined).toHaveBeenCalled();
  });

  it('reads every real lock fixture, with the same table and parse as smol-toml', () => {
    for (const valid of FIXTURES) {
      expect(expectDeclinedOrSame(valid)).toBe(true);
      expectSameParses(valid);
    }
  });

  it.each([
    '[[package]] # \u2029 x\nname = "a"\n',
    '[metadata]\n[metadata]\n',
    '[package.x]\n[package]\ny = 1\n',
    'package = []\n[[package]]\n',
    '[[package]]\nsource = { a = 1 }\n[package.source]\n',
    '[[package]]\n[package]\n',
    'x = 007\n',
    'x = -0\n',
    'x = +1\n',
    '"" = 1\n',
    'a.b = 1\n',
    "x = '''a'''\n",
    'x = """a"""\n',
    'x = "\\u0041"\n',
    'x = { a = 1, a = 2 }\n',
    'x = { a = 1, }\n',
    'x = [1,]\n',
    'x = [\n  1, # c\n]\n',
    'x = truex\n',
    'x = 1979-05-27\n',
    '__proto__ = 1\n',
    'x = { __proto__ = 1 }\n',
    'x = 1\rx = 2\n',
    'x = "a\u007fb"\n',
  ])('declines or agrees with smol-toml on the near miss %j', (lock) => {
    expectDeclinedOrSame(lock);
    expectSameParses(lock);
  });

  it('declines or agrees with smol-toml on lock files as writers spell them, near misses included', () => {
    let read = 0;
    fc.assert(
      fc.property(lockText, (lock) => {
        if (expectDeclinedOrSame(lock)) read++;
        expectSameParses(lock);
      }),
      RUNS,
    );
    // The generated shapes must mostly be ones the reader takes, or this proves little.
    expect(read).toBeGreaterThan(50);
  });

  it('declines or agrees with smol-toml on what smol-toml itself writes', () => {
    const table = fc.dictionary(
      fc.constantFrom('package', 'metadata', 'version', 'name', 'a b', 'x'),
      fc.oneof(
        fc.array(
          fc.dictionary(
            fc.constantFrom('name', 'version', 'source', 'x'),
            fc.oneof(text, fc.integer(), fc.boolean(), fc.array(text, { maxLength: 2 })),
          ),
          { maxLength: 3 },
        ),
        text,
        fc.integer(),
      ),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(table, (value) => {
        const written = stringify(value);
        expectDeclinedOrSame(written);
        expectSameParses(written);
      }),
      { ...RUNS, numRuns: 200 },
    );
  });

  it('declines or agrees with smol-toml on damaged fixtures and damaged generated locks', () => {
    let read = 0;
    const damagedText = fc.oneof(
      fc
        .constantFrom(...FIXTURES)
        .chain((valid) => fc.oneof(damagedLines(valid), damaged(valid, TOML_TOKENS))),
      lockText.chain((valid) => fc.oneof(damagedLines(valid), damaged(valid, TOML_TOKENS))),
    );
    fc.assert(
      fc.property(damagedText, (lock) => {
        if (expectDeclinedOrSame(lock)) read++;
        expectSameParses(lock);
      }),
      RUNS,
    );
    expect(read).toBeGreaterThan(50);
  });
});
