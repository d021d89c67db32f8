import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { damaged, mostly, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { parseGoMod } from './go-mod.parser';

const fixture = manifestFixtures('go');

/** The parse with plain lines scanned and requirements merged as read, the same as the general path. */
function expectSameAsGeneralPath(text: string): void {
  expect(parseGoMod('go.mod', text, true)).toEqual(parseGoMod('go.mod', text, false));
}

// Few paths and versions, so files repeat requirements one way and another.
const PATHS = ['example.com/a', 'example.com/b', 'golang.org/x/net', 'a', 'x/y/v2'];
const ODD_PATHS = [
  '"example.com/a"',
  '" example.com/a"',
  '"example.com/b\\t"',
  '"a b"',
  '`example.com/b`',
  '"\\u0061"',
  'é.com/x',
  'a//b',
  'a/',
  '/a',
];
const VERSIONS = ['v1.0.0', 'v1.2.3', 'v0.0.0-20210101000000-abcdefabcdef', 'v2.0.0+incompatible'];
const ODD_VERSIONS = ['master', 'v1', 'latest', '"v1.0.0"', 'v1.0.0)', '(', ')', ',', '{', '[v1.0.0]'];
const SPACES = [' ', '\t', '  '];
const ODD_SPACES = ['\u00a0', '\u2028', '\u000b', '\f', '\u3000'];
const COMMENTS = ['', '', ' // indirect', '// indirect', ' //indirect', ' // indirect; reason'];
const ODD_COMMENTS = [
  ' // indirect;',
  ' // indirect x',
  ' // Indirect',
  ' //\u00a0indirect',
  ' // indirect\u00a0',
  ' /',
];
const VERBS = ['require', 'module', 'go', 'exclude', 'retract', 'toolchain', 'tool'];
const ODD_VERBS = ['replace', 'unknown', '(', ')', '"require"', 'godebug', 'ignore', '[', '//'];

const space = mostly(SPACES, ODD_SPACES);
const requirement = fc
  .tuple(mostly(PATHS, ODD_PATHS), space, mostly(VERSIONS, ODD_VERSIONS), mostly(COMMENTS, ODD_COMMENTS))
  .map((parts) => parts.join(''));
const directive = fc.oneof(
  { weight: 4, arbitrary: requirement.map((r) => `require ${r}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(mostly(VERBS, ODD_VERBS), fc.array(requirement, { maxLength: 4 }), fc.boolean())
      .map(([verb, lines, closed]) => [`${verb} (`, ...lines.map((l) => `\t${l}`), ...(closed ? [')'] : [])]),
  },
  { weight: 1, arbitrary: fc.constantFrom('module example.com/app', 'go 1.22', '', '// a comment', ')') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(mostly(VERBS, ODD_VERBS), space, mostly(PATHS, ODD_PATHS), space, mostly(VERSIONS, ODD_VERSIONS))
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        mostly(PATHS, ODD_PATHS),
        mostly(VERSIONS, ['', ...ODD_VERSIONS]),
        mostly(PATHS, ['./local', '../x']),
      )
      .map(
        ([from, version, to]) => `replace ${from} ${version} => ${to}${to.startsWith('.') ? '' : ' v1.2.3'}`,
      ),
  },
);
const file = fc.array(directive, { maxLength: 14 }).map((lines) => lines.flat().join('\n'));

describe('go.mod fast paths', () => {
  it('give exactly what the general path gives, for generated files of every shape and near miss', () => {
    fc.assert(
      fc.property(file, (text) => expectSameAsGeneralPath(text)),
      { numRuns: 600 },
    );
  });

  it('give exactly what the general path gives for the same requirement written many ways', () => {
    const line = fc.tuple(
      fc.constantFrom('example.com/a', 'example.com/b'),
      fc.constantFrom('v1.0.0', 'v1.0.1', 'master'),
      fc.constantFrom('', ' // indirect'),
      fc.boolean(),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = [
          'module m',
          ...lines.map(([p, v, c, inBlock]) =>
            inBlock ? `require (\n\t${p} ${v}${c}\n)` : `require ${p} ${v}${c}`,
          ),
        ].join('\n');
        expectSameAsGeneralPath(text);
      }),
      PROPERTY_RUNS,
    );
  });

  it('give exactly what the general path gives for the real fixtures and damaged copies of them', () => {
    const names = ['go.mod', 'crlf-bom-tabs.go.mod', 'invalid.go.mod', 'truncated.go.mod', 'empty.go.mod'];
    for (const name of names) expectSameAsGeneralPath(fixture(name));
    // The fixtures without a word of replace, so the merge as read is taken too.
    const unreplaced = (name: string) =>
      fixture(name)
        .replace(/^replace \([^)]*\)\n/gm, '')
        .split('\n')
        .filter((line) => !line.includes('replace'))
        .join('\n');
    for (const name of names) expectSameAsGeneralPath(unreplaced(name));
    const tokens = [
      ...PATHS,
      ...ODD_PATHS,
      ...VERSIONS,
      ...ODD_VERSIONS,
      ...VERBS,
      ...ODD_VERBS,
      '\n',
      ' ',
      '\t',
    ];
    fc.assert(
      fc.property(
        fc
          .constantFrom(...names)
          .chain((name) => fc.oneof(damaged(fixture(name), tokens), damaged(unreplaced(name), tokens))),
        (text) => expectSameAsGeneralPath(text),
      ),
      PROPERTY_RUNS,
    );
  });
});
