import fc from 'fast-check';
import { stringify } from 'yaml';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { MAX_LINE_LENGTH } from '../../line-limits';
import { damaged, expectWellFormed, hostileText, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { packageLockParser } from './package-lock.parser';
import { pnpmLockParser } from './pnpm-lock.parser';
import { yarnLockParser } from './yarn-lock.parser';

const fixture = manifestFixtures('npm');
// Damaged real lock files are large, and YAML is slow to read: fewer runs keep the file quick.
const DAMAGED_RUNS = { numRuns: 60 } as const;

const jsonish = fc.jsonValue({ maxDepth: 3 });
const NAMES = ['lodash', '@scope/pkg', 'a', '', '__proto__', 'constructor', 'node_modules/x', '../x'];
const VERSIONS = [
  '1.0.0',
  '2.0.0-rc.1',
  '^1.0.0',
  'npm:bar@1.0.0',
  'file:../x',
  'link:../x',
  '',
  '1.0.0(react@18.0.0)',
];

describe('package-lock.json under hostile input', () => {
  const valid = ['package-lock-v1', 'package-lock-v2', 'package-lock-v3', 'shrinkwrap'].map((folder) =>
    fixture(`${folder}/${folder === 'shrinkwrap' ? 'npm-shrinkwrap.json' : 'package-lock.json'}`),
  );
  const entry = fc.oneof(
    fc.record(
      {
        version: fc.oneof(fc.constantFrom(...VERSIONS), jsonish),
        resolved: fc.oneof(
          fc.constantFrom('https://registry.npmjs.org/a/-/a-1.0.0.tgz', 'git+ssh://h/r', ''),
          jsonish,
        ),
        name: fc.oneof(fc.constantFrom(...NAMES), jsonish),
        dev: fc.oneof(fc.boolean(), jsonish),
        optional: fc.boolean(),
        devOptional: fc.boolean(),
        link: fc.oneof(fc.boolean(), jsonish),
        dependencies: jsonish,
      },
      { requiredKeys: [] },
    ),
    jsonish,
  );
  /** A v1 `dependencies` tree, nested as deep as fast-check takes it. */
  const tree: fc.Arbitrary<unknown> = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.dictionary(
      fc.constantFrom(...NAMES),
      fc.oneof(
        { depthSize: 'small' },
        entry,
        fc.record(
          { version: fc.constantFrom(...VERSIONS), dependencies: tie('tree') },
          { requiredKeys: ['version'] },
        ),
      ),
      { maxKeys: 4 },
    ),
  })).tree;
  const lock = fc
    .record(
      {
        lockfileVersion: fc.oneof(fc.constantFrom(1, 2, 3, 4, '3', null), jsonish),
        packages: fc.oneof(
          fc.dictionary(
            fc.constantFrom(
              '',
              'node_modules/a',
              'node_modules/@s/b',
              'packages/w',
              'node_modules/a/node_modules/b',
              'x',
            ),
            entry,
            { maxKeys: 5 },
          ),
          jsonish,
        ),
        dependencies: fc.oneof(tree, jsonish),
      },
      { requiredKeys: [] },
    )
    .chain((document) => fc.constantFrom(JSON.stringify(document), JSON.stringify(document, null, 2)));

  it('never throws on lock-shaped JSON whatever its fields hold', () => {
    fc.assert(
      fc.property(lock, (text) => {
        expectWellFormed(packageLockParser, 'package-lock.json', text);
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
      '"packages"',
      '"node_modules/a"',
      '"version"',
      '"1.0.0"',
      '"lockfileVersion"',
      ' ',
      '\n',
      '\\u0000',
      '\\"',
      '\\\\',
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...valid).chain((text) => damaged(text, tokens)),
          hostileText(tokens),
          fc
            .integer({ min: 1, max: 20_000 })
            .map(
              (depth) =>
                `{"lockfileVersion": 1, "dependencies": ${'{"p": {"version": "1.0.0", "dependencies": '.repeat(depth)}{}${'}}'.repeat(depth)}}`,
            ),
        ),
        (text) => {
          expectWellFormed(packageLockParser, 'package-lock.json', text);
        },
      ),
      DAMAGED_RUNS,
    );
  });
});

const YARN_TOKENS = [
  '# yarn lockfile v1\n',
  '__metadata:\n  version: 8\n',
  'lodash@^4.17.0',
  '"@babel/core@^7.0.0"',
  ', ',
  ':\n',
  '  version "1.0.0"\n',
  '  resolved "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz"\n',
  '  version: 1.0.0\n',
  '  resolution: "a@npm:1.0.0"\n',
  '  dependencies:\n',
  '    b "^1"\n',
  'patch:',
  'npm:',
  'workspace:',
  '%3A',
  '%',
  '#',
  '::locator=',
  '<<<<<<< HEAD\n',
  '=======\n',
  '>>>>>>> x\n',
  '"',
  '\\',
  '  ',
  '\n',
  '&a ',
  '*a',
  '[',
  '{',
];

const PNPM_TOKENS = [
  "lockfileVersion: '9.0'\n",
  'lockfileVersion: 5.4\n',
  'importers:\n  .:\n',
  '    dependencies:\n',
  '      a:\n        specifier: ^1\n        version: 1.0.0\n',
  'packages:\n',
  '  /a/1.0.0:\n',
  '  a@1.0.0:\n',
  '    resolution: {integrity: sha512-x}\n',
  '    dev: true\n',
  'snapshots:\n',
  '  a@1.0.0(b@2.0.0):\n',
  '(',
  ')',
  '_',
  '@',
  '/',
  ':',
  '- ',
  '"',
  "'",
  '  ',
  '\n',
  '&a ',
  '*a',
  '[',
  ']',
  '{',
  '}',
  '? ',
  '!!',
  '---\n',
  '...\n',
];

describe('yarn.lock under hostile input', () => {
  const valid = [fixture('yarn-v1/yarn.lock'), fixture('yarn-berry/yarn.lock')];
  const berry = fc
    .dictionary(
      fc.oneof(
        fc.constantFrom('__metadata', 'a@npm:^1', 'b@patch:b@npm%3A1.0.0#x', 'w@workspace:.'),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(
        fc.record(
          {
            version: fc.oneof(fc.constantFrom(...VERSIONS, '8'), jsonish),
            resolution: fc.oneof(
              fc.constantFrom(
                'a@npm:1.0.0',
                'b@patch:b@npm%3A1.0.0#x',
                'b@patch:b@%E0%A4%A#x',
                'c@https://h/c.tgz',
                'w@workspace:.',
                'a@npm:b@npm:1.0.0',
              ),
              jsonish,
            ),
          },
          { requiredKeys: [] },
        ),
        jsonish,
      ),
      { maxKeys: 5 },
    )
    .map((document) => stringify({ __metadata: { version: 8 }, ...document }));

  it('never throws on berry-shaped YAML whatever its fields hold', () => {
    fc.assert(
      fc.property(berry, (text) => {
        expectWellFormed(yarnLockParser, 'yarn.lock', text);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never throws on damaged real files (v1 and berry) and hostile text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...valid).chain((text) => damaged(text, YARN_TOKENS)),
          hostileText(YARN_TOKENS),
        ),
        (text) => {
          expectWellFormed(yarnLockParser, 'yarn.lock', text);
        },
      ),
      DAMAGED_RUNS,
    );
  });

  it('skips exactly the v1 entry whose header is too long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 }), (count, which) => {
        const index = which % count;
        const entries = Array.from({ length: count }, (_, i) => {
          const name = i === index ? 'x'.repeat(MAX_LINE_LENGTH) : `p${i}`;
          return `${name}@^1.0.0:\n  version "1.0.${i}"\n`;
        });
        const result = expectWellFormed(
          yarnLockParser,
          'yarn.lock',
          `# yarn lockfile v1\n\n${entries.join('\n')}`,
        );
        expect(result.dependencies.map((d) => d.name)).toEqual(
          Array.from({ length: count }, (_, i) => `p${i}`).filter((_, i) => i !== index),
        );
        expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['LINE_TOO_LONG', 3 + index * 3]]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('pnpm-lock.yaml under hostile input', () => {
  const valid = ['pnpm-v5.4', 'pnpm-v6.0', 'pnpm-v9.0'].map((folder) => fixture(`${folder}/pnpm-lock.yaml`));
  const references = fc.dictionary(
    fc.constantFrom(...NAMES),
    fc.oneof(fc.constantFrom(...VERSIONS), jsonish),
    { maxKeys: 4 },
  );
  const lock = fc
    .record(
      {
        lockfileVersion: fc.oneof(fc.constantFrom('9.0', '6.0', '5.4', '10', 'x'), jsonish),
        importers: fc.oneof(
          fc.dictionary(
            fc.constantFrom('.', 'packages/a'),
            fc.record(
              { dependencies: references, devDependencies: references, optionalDependencies: references },
              { requiredKeys: [] },
            ),
            { maxKeys: 3 },
          ),
          jsonish,
        ),
        dependencies: references,
        packages: fc.oneof(
          fc.dictionary(
            fc.constantFrom('/a/1.0.0', 'a@1.0.0', '/@s/b@2.0.0(c@1.0.0)', 'c@file:../c', 'x'),
            fc.oneof(
              fc.record(
                { resolution: jsonish, dev: jsonish, optional: jsonish, name: jsonish },
                { requiredKeys: [] },
              ),
              jsonish,
            ),
            { maxKeys: 5 },
          ),
          jsonish,
        ),
        snapshots: fc.oneof(
          fc.dictionary(
            fc.constantFrom('a@1.0.0', 'a@1.0.0(b@2.0.0)', 'c@1.0.0'),
            fc.oneof(
              fc.record({ dependencies: references, optionalDependencies: references }, { requiredKeys: [] }),
              jsonish,
            ),
            { maxKeys: 4 },
          ),
          jsonish,
        ),
      },
      { requiredKeys: [] },
    )
    .map((document) => stringify(document));

  it('never throws on lock-shaped YAML whatever its fields hold', () => {
    fc.assert(
      fc.property(lock, (text) => {
        expectWellFormed(pnpmLockParser, 'pnpm-lock.yaml', text);
      }),
      PROPERTY_RUNS,
    );
  });

  it('never throws on damaged real files, hostile text, deep nesting and alias bombs', () => {
    const bomb = fc.integer({ min: 2, max: 12 }).map((levels) => {
      const rows = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < levels; i++) rows.push(`l${i}: &l${i} [${`*l${i - 1}, `.repeat(10)}]`);
      return `lockfileVersion: '9.0'\n${rows.join('\n')}\npackages:\n  a@1.0.0: *l${levels - 1}\n`;
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...valid).chain((text) => damaged(text, PNPM_TOKENS)),
          hostileText(PNPM_TOKENS),
          bomb,
          fc
            .integer({ min: 1, max: 3_000 })
            .map(
              (depth) =>
                `lockfileVersion: '9.0'\npackages:\n  a@1.0.0: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
            ),
        ),
        (text) => {
          expectWellFormed(pnpmLockParser, 'pnpm-lock.yaml', text);
        },
      ),
      DAMAGED_RUNS,
    );
  });
});
