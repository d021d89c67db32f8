import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { dedupeDependencies, isMarkedUnique } from '../../dedupe-dependencies';
import { MAX_LINE_LENGTH } from '../../line-limits';
import type { ManifestParser } from '../../manifest.types';
import { damaged, expectWellFormed, hostileText, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { pdmLockParser } from './pdm-lock.parser';
import { pipfileLockParser } from './pipfile-lock.parser';
import { poetryLockParser } from './poetry-lock.parser';
import { requirementsTxtParser } from './requirements-txt.parser';
import { MAX_TOML_NESTING } from './toml-document';
import { uvLockParser } from './uv-lock.parser';

const fixture = manifestFixtures('pypi');

const REQUIREMENT_TOKENS = [
  'requests',
  'Django',
  'a',
  'zope.interface',
  '==',
  '===',
  '>=',
  '<',
  '~=',
  '!=',
  '1.0',
  '2.*',
  '1!2.0rc1.post2.dev3+local.7',
  '[',
  ']',
  ',',
  ';',
  ' ',
  '  ',
  '\\\n',
  '\\',
  '\n',
  '#',
  ' #',
  '@',
  ' @ ',
  '-r ',
  '-c ',
  '-e ',
  '--hash=sha256:',
  '--index-url',
  '${VAR}',
  '${',
  '(',
  ')',
  ' and ',
  ' or ',
  ' not in ',
  'python_version',
  '"3.8"',
  "'",
  'git+https://h/r.git#egg=x',
  '&egg=',
  'file:',
  './local',
  '.whl',
  '.tar.gz',
];

const pin = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}[a-z0-9]$/),
    fc.integer({ min: 0, max: 30 }),
    fc.integer({ min: 0, max: 30 }),
  )
  .map(([name, major, minor]) => `${name}==${major}.${minor}`);

describe('requirements.txt under hostile input', () => {
  const valid = ['basic.txt', 'pip-compile.txt', 'windows-requirements.txt', 'invalid.txt'].map((name) =>
    fixture(`requirements/${name}`),
  );

  it('never throws on text made of its own syntax, odd characters and long runs', () => {
    fc.assert(
      fc.property(hostileText(REQUIREMENT_TOKENS), (text) => {
        expectWellFormed(requirementsTxtParser, 'requirements.txt', text);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never throws on damaged real files, or on includes that serve hostile text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid).chain((text) => damaged(text, REQUIREMENT_TOKENS)),
        hostileText([...REQUIREMENT_TOKENS, '-r a.txt\n', '-c b.txt\n', '-r ../x.txt\n']),
        (text, included) => {
          expectWellFormed(requirementsTxtParser, 'requirements.txt', `${text}\n-r a.txt\n`, {
            readInclude: (path) => (path.endsWith('x.txt') ? { refused: 'outside' } : included),
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a file listed twice like the file itself: exact repeats add nothing', () => {
    fc.assert(
      fc.property(fc.array(pin, { minLength: 1, maxLength: 30 }), (pins) => {
        const once = pins.join('\n');
        const twice = requirementsTxtParser.parse('requirements.txt', `${once}\n${once}\n`);
        expect(twice.dependencies).toEqual(
          requirementsTxtParser.parse('requirements.txt', once).dependencies,
        );
      }),
      PROPERTY_RUNS,
    );
  });

  it('marks its dependencies unique only when no two share an identity', () => {
    // Few names, so files repeat them: in another scope (a dev include), with another pin, or
    // unpinned and then pinned by a constraint.
    const requirement = fc
      .tuple(
        fc.constantFrom('a', 'b', 'C_c'),
        fc.constantFrom('==1.0', '==1.0.0', '===1', '>=1', '', '<2,>0'),
      )
      .map(([name, spec]) => `${name}${spec}`);
    const lines = fc.array(requirement, { maxLength: 6 }).map((l) => l.join('\n'));
    let marked = 0;
    let unmarked = 0;
    fc.assert(
      fc.property(
        lines,
        lines,
        lines,
        fc.boolean(),
        fc.boolean(),
        (main, dev, constraints, withDev, withC) => {
          const files: Record<string, string> = {
            'requirements-dev.txt': dev,
            'constraints.txt': constraints,
          };
          const text = `${main}\n${withDev ? '-r requirements-dev.txt\n' : ''}${withC ? '-c constraints.txt\n' : ''}`;
          const { dependencies } = requirementsTxtParser.parse('requirements.txt', text, {
            readInclude: (path) => files[path],
          });
          if (!isMarkedUnique(dependencies)) unmarked++;
          else {
            marked++;
            expect(dedupeDependencies(dependencies).repeats).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(marked).toBeGreaterThan(0);
    expect(unmarked).toBeGreaterThan(0);
  });

  it('skips exactly the line that is too long and reads the others as if it were blank', () => {
    fc.assert(
      fc.property(
        fc.array(pin, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 1, max: 1_000 }),
        (pins, which, extra) => {
          const index = which % pins.length;
          const withLong = pins.map((p, i) => (i === index ? p + ' '.repeat(MAX_LINE_LENGTH + extra) : p));
          const withBlank = pins.map((p, i) => (i === index ? '' : p));
          const result = expectWellFormed(requirementsTxtParser, 'requirements.txt', withLong.join('\n'));
          const blank = requirementsTxtParser.parse('requirements.txt', withBlank.join('\n'));
          expect(result.dependencies).toEqual(blank.dependencies);
          expect(result.diagnostics.filter((d) => d.code === 'LINE_TOO_LONG').map((d) => d.line)).toEqual([
            index + 1,
          ]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

const TOML_TOKENS = [
  '[[package]]\n',
  '[metadata]\n',
  '[package.dependencies]\n',
  'name = ',
  'version = ',
  'lock-version = ',
  'lock_version = ',
  'source = { editable = "." }\n',
  'dependencies = [{ name = "a" }]\n',
  'groups = ["main"]\n',
  '"a"',
  '"1.0.0"',
  "'''",
  '"""',
  '[',
  ']',
  '{',
  '}',
  '=',
  ',',
  '\n',
  '#',
  '.',
  '1979-05-27T07:32:00Z',
  'inf',
  'nan',
  'true',
];

/** TOML values a lock file could hold in any field: strings, numbers, booleans, arrays, tables. */
const tomlValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('main', 'dev', 'default', '.', 'git', 'url', 'directory', '1.0.0', '2'),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'name',
        'version',
        'editable',
        'virtual',
        'registry',
        'git',
        'url',
        'path',
        'type',
        'extra',
        'main',
        'x',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const lockPackage = fc.record(
  {
    name: fc.oneof(fc.constantFrom('a', 'b', 'root', 'Same_Name'), tomlValue),
    version: fc.oneof(fc.constantFrom('1.0.0', '2.0', ''), tomlValue),
    source: tomlValue,
    dependencies: fc.oneof(
      fc.array(
        fc.record({ name: fc.constantFrom('a', 'b', 'root'), extra: tomlValue }, { requiredKeys: ['name'] }),
        { maxLength: 3 },
      ),
      tomlValue,
    ),
    'optional-dependencies': tomlValue,
    'dev-dependencies': tomlValue,
    groups: tomlValue,
    category: tomlValue,
    optional: tomlValue,
    git: tomlValue,
    path: tomlValue,
  },
  { requiredKeys: [] },
);

const tomlLock = fc
  .record(
    {
      version: tomlValue,
      metadata: fc.record({ 'lock-version': tomlValue, lock_version: tomlValue }, { requiredKeys: [] }),
      manifest: fc.record({ members: tomlValue }, { requiredKeys: [] }),
      package: fc.oneof({ weight: 4, arbitrary: fc.array(lockPackage, { maxLength: 6 }) }, tomlValue),
    },
    { requiredKeys: [] },
  )
  .map((table) => {
    try {
      return stringify(table);
    } catch {
      // Some shapes have no TOML spelling (an array mixing tables and values); the raw JSON is hostile too.
      return JSON.stringify(table);
    }
  });

describe.each<[string, ManifestParser, string, string[]]>([
  [
    'poetry.lock',
    poetryLockParser,
    'poetry.lock',
    ['poetry/poetry-1.1.lock', 'poetry/poetry-2.0.lock', 'poetry/truncated.lock'],
  ],
  ['uv.lock', uvLockParser, 'uv.lock', ['uv/uv.lock', 'uv/uv-workspace.lock']],
  ['pdm.lock', pdmLockParser, 'pdm.lock', ['pdm/pdm.lock', 'pdm/pdm-legacy.lock']],
])('%s under hostile input', (_, parser, path, fixtures) => {
  const valid = fixtures.map((name) => fixture(name));

  it('never throws on lock-shaped TOML whatever its fields hold', () => {
    fc.assert(
      fc.property(tomlLock, (text) => {
        expectWellFormed(parser, path, text);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never throws on damaged real files and hostile TOML-like text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...valid).chain((text) => damaged(text, TOML_TOKENS)),
          hostileText(TOML_TOKENS),
        ),
        (text) => {
          expectWellFormed(parser, path, text);
        },
      ),
      PROPERTY_RUNS,
    );
  });

  it('reports deep nesting as a syntax error instead of recursing through it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_TOML_NESTING + 1, max: 50_000 }),
        fc.constantFrom(['[', ']'], ['{ a = ', ' }']),
        (depth, [open, close]) => {
          const result = expectWellFormed(parser, path, `x = ${open.repeat(depth)}1${close.repeat(depth)}\n`);
          expect(result.diagnostics.map((d) => d.code)).toEqual(['INVALID_SYNTAX']);
        },
      ),
      { numRuns: 10 },
    );
  });
});

const jsonish = fc.jsonValue({ maxDepth: 4 });

describe('Pipfile.lock under hostile input', () => {
  const valid = ['Pipfile.lock', 'Pipfile-truncated.lock', 'Pipfile-invalid.lock'].map((name) =>
    fixture(`pipfile/${name}`),
  );
  const entry = fc.oneof(
    fc.record(
      {
        version: fc.oneof(fc.constantFrom('==1.0.0', '*', '>=1', '===x', '==1.*', ''), jsonish),
        hashes: jsonish,
        git: jsonish,
        path: jsonish,
        file: jsonish,
        editable: jsonish,
      },
      { requiredKeys: [] },
    ),
    jsonish,
  );
  const lock = fc
    .record(
      {
        _meta: fc.oneof(fc.record({ 'pipfile-spec': fc.oneof(fc.integer(), fc.double(), jsonish) }), jsonish),
        default: fc.oneof(
          fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), entry, { maxKeys: 5 }),
          jsonish,
        ),
        develop: fc.oneof(
          fc.dictionary(fc.constantFrom('a', 'A', 'b', '__proto__', 'constructor'), entry, { maxKeys: 5 }),
          jsonish,
        ),
      },
      { requiredKeys: [] },
    )
    .chain((document) =>
      fc.constantFrom(
        JSON.stringify(document),
        JSON.stringify(document, null, 4),
        JSON.stringify(document, null, '\t'),
      ),
    );

  it('never throws on lock-shaped JSON whatever its fields hold, however it is indented', () => {
    fc.assert(
      fc.property(lock, (text) => {
        expectWellFormed(pipfileLockParser, 'Pipfile.lock', text);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never throws on damaged real files, deep nesting and hostile JSON-like text', () => {
    const tokens = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '"default"',
      '"develop"',
      '"version"',
      '"==1.0"',
      '{}',
      ' ',
      '\n',
      'null',
      '\\u0000',
      '\\',
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...valid).chain((text) => damaged(text, tokens)),
          hostileText(tokens),
          fc
            .integer({ min: 1, max: 100_000 })
            .map((depth) => `{"default": {"a": ${'['.repeat(depth)}${']'.repeat(depth)}}}`),
        ),
        (text) => {
          expectWellFormed(pipfileLockParser, 'Pipfile.lock', text);
        },
      ),
      PROPERTY_RUNS,
    );
  });
});
