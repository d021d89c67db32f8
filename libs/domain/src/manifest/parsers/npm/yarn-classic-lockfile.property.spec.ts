import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { normalizeText } from '../../manifest-text';
import { damaged, ODD_CHARACTERS, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { parseYarnClassicLockfile, splitDescriptors, unquote } from './yarn-classic-lockfile';

const fixture = manifestFixtures('npm');

/** The parse with plain lines scanned, the same as when every line takes the general path. */
function expectSameAsGeneralPath(text: string): void {
  const source = normalizeText(text);
  expect(parseYarnClassicLockfile(source, true)).toEqual(parseYarnClassicLockfile(source, false));
}

/** The header split as it was first written, a character at a time (`unquote` is unchanged). */
function splitDescriptorsByCharacter(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i] as string;
    if (quoted && c === '\\') {
      current += c + (header[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.map((part) => unquote(part.trim())).filter((part) => part !== '');
}

/** Mostly one of `usual`, sometimes one of `unusual`. */
const mostly = (usual: readonly string[], unusual: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...unusual) },
  );

// The plain shapes, mostly, and near misses of them: each piece is one a line may hold.
const INDENTS = ['  ', '  ', '    ', '      '];
const NOT_INDENTS = ['', ' ', '   ', '\t', ' \t', '\u00a0 ', '\ufeff  '];
const KEYS = ['version', 'resolved', 'integrity', 'uuid', '"@babel/core"', 'a-b'];
const NOT_KEYS = ['"version', 've"rsion', 'version"', '"a b"', '"\\u0061"', 'v\u00e9', '#x', ''];
const SEPARATORS = [' ', '  '];
const NOT_SEPARATORS = ['', '\t', ' \t', '\u00a0', ':', ': '];
const VALUES = [
  '"1.0.0"',
  '1.0.0',
  '"https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#abc"',
  'sha512-Zm9v/bar+baz==',
  '"^1 || ^2"',
  '""',
  'true',
];
const NOT_VALUES = [
  '"',
  '"1.0.0',
  '1.0.0"',
  '"a"b"',
  '"a\\"b"',
  '"a\\\\"',
  '"\\u00e9"',
  '"\u00e9"',
  '"a\tb"',
  'a b',
  '"a" ',
  'x ',
  ' ',
  '\u2028',
  '',
  ':',
];
const HEADERS = [
  'lodash@^4.17.0:',
  '"@babel/core@^7.0.0", "@babel/core@^7.1.0":',
  'a@^1, a@^1.1:',
  'a@1,,,,:',
  '"a@1, b":',
  '"a\\"b@1":',
  ' , :',
  '"":',
  'a@1',
  '<<<<<<< HEAD',
  '=======',
  '>>>>>>> x',
];

const field = fc
  .tuple(
    mostly(INDENTS, NOT_INDENTS),
    mostly(KEYS, NOT_KEYS),
    mostly(SEPARATORS, NOT_SEPARATORS),
    mostly(VALUES, NOT_VALUES),
  )
  .map((parts) => parts.join(''));
const otherLine = fc.constantFrom(
  '  dependencies:',
  '    b "^1"',
  '  # note',
  '',
  '   ',
  '# yarn lockfile v1',
  '\t',
);
const entry = fc
  .tuple(
    fc.constantFrom(...HEADERS),
    fc.array(fc.oneof({ weight: 4, arbitrary: field }, otherLine), { maxLength: 6 }),
  )
  .map(([header, lines]) => [header, ...lines].join('\n'));
const file = fc
  .array(fc.oneof({ weight: 4, arbitrary: entry }, otherLine), { maxLength: 8 })
  .map((parts) => parts.join('\n'));

describe('yarn v1 plain lines', () => {
  it('gives exactly what the general path gives, for lines of every shape and near miss', () => {
    fc.assert(fc.property(file, expectSameAsGeneralPath), PROPERTY_RUNS);
  });

  it('gives exactly what the general path gives for the real fixture and damaged copies of it', () => {
    const valid = fixture('yarn-v1/yarn.lock');
    expectSameAsGeneralPath(valid);
    const tokens = [...HEADERS, ...NOT_KEYS, ...NOT_VALUES, ...NOT_INDENTS, '\n', ' ', '"', ','];
    fc.assert(fc.property(damaged(valid, tokens), expectSameAsGeneralPath), PROPERTY_RUNS);
  });

  it('reads the usual field lines on the plain path', () => {
    const { entries } = parseYarnClassicLockfile(
      'a@^1, "a@^1.1":\n  version "1.0.0"\n  resolved https://h/a/-/a-1.0.0.tgz\n  dependencies:\n    b "^1"\n',
    );
    expect(entries).toEqual([
      {
        descriptors: ['a@^1', 'a@^1.1'],
        line: 1,
        fields: new Map([
          ['version', '1.0.0'],
          ['resolved', 'https://h/a/-/a-1.0.0.tgz'],
        ]),
      },
    ]);
  });
});

describe('yarn v1 entry headers', () => {
  it('split as a character-at-a-time split does', () => {
    const piece = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom('a@1', '"b@^2"', ',', ', ', '"', '\\', ' ', '"x,y"', '@scope/c@3'),
      },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_CHARACTERS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
    );
    const header = fc.array(piece, { maxLength: 20 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(header, (text) => {
        expect(splitDescriptors(text)).toEqual(splitDescriptorsByCharacter(text));
      }),
      { numRuns: 1000 },
    );
  });
});
