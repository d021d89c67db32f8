import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { DependencyScope, ParsedDependency } from '../../manifest.types';
import { graphOf, resultWithoutLockMetadata, sri } from '../lock-metadata.test-helper';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { parsePnpmPackageKey, pnpmLockParser } from './pnpm-lock.parser';
import { COMPOSED_MAX_NESTING, MAX_NESTING } from './yaml-lock-document';

// The fixtures open with `# prettier-ignore` so the repository's formatter keeps pnpm's layout.
const fixture = manifestFixtures();

const dep = (name: string, version: string, scope: DependencyScope, direct: boolean, line: number) =>
  ({
    ecosystem: 'npm',
    name,
    version,
    scope,
    direct,
    manifestPath: 'pnpm-lock.yaml',
    line,
  }) satisfies ParsedDependency;

// What the parser always read; hashes and edges have their own specs below.
const parse = (text: string) => resultWithoutLockMetadata(pnpmLockParser.parse('pnpm-lock.yaml', text));
const parseWithMetadata = (text: string) => pnpmLockParser.parse('pnpm-lock.yaml', text);

const INTERNAL_UI_UNRESOLVABLE = (line: number) => ({
  severity: 'warning',
  code: 'UNRESOLVABLE',
  message:
    'internal-ui: it comes from https://codeload.github.com/acme/internal-ui/tar.gz/8f3c2b1d9e0a4f6b7c8d9e0f1a2b3c4d5e6f7a8b, not from a registry; it was skipped',
  line,
});

const V9_EXPECTED = {
  dependencies: [
    dep('@types/prop-types', '15.7.12', 'dev', false, 51),
    dep('@types/react', '18.3.3', 'dev', true, 54),
    dep('ansi-regex', '5.0.1', 'runtime', false, 57),
    dep('csstype', '3.1.3', 'dev', false, 61),
    dep('emoji-regex', '8.0.0', 'runtime', false, 64),
    dep('fsevents', '2.3.3', 'optional', true, 67),
    dep('is-fullwidth-code-point', '3.0.0', 'runtime', false, 76),
    dep('js-tokens', '4.0.0', 'runtime', false, 80),
    dep('lodash', '4.17.21', 'runtime', true, 83), // a dependency of the packages/admin importer
    dep('loose-envify', '1.4.0', 'runtime', false, 86),
    dep('react-dom', '18.3.1', 'runtime', true, 90),
    dep('react', '18.3.1', 'runtime', true, 95),
    dep('scheduler', '0.23.2', 'runtime', false, 99),
    dep('string-width', '4.2.3', 'runtime', true, 102), // string-width-cjs: string-width@4.2.3
    dep('strip-ansi', '6.0.1', 'runtime', false, 106),
    dep('typescript', '5.4.5', 'dev', true, 110),
  ],
  diagnostics: [INTERNAL_UI_UNRESOLVABLE(72)],
};

describe('pnpmLockParser', () => {
  it('lockfileVersion 5.4: /name/version keys, _peer suffixes, dev/optional flags, root sections', () => {
    expect(parse(fixture('npm/pnpm-v5.4/pnpm-lock.yaml'))).toStrictEqual({
      dependencies: [
        dep('@types/prop-types', '15.7.5', 'dev', false, 32),
        dep('@types/react', '18.0.26', 'dev', true, 36),
        dep('@types/scheduler', '0.16.2', 'dev', false, 44),
        dep('ansi-regex', '5.0.1', 'runtime', false, 48),
        dep('csstype', '3.1.1', 'dev', false, 53),
        dep('emoji-regex', '8.0.0', 'runtime', false, 57),
        dep('fsevents', '2.3.2', 'optional', true, 61),
        dep('is-fullwidth-code-point', '3.0.0', 'runtime', false, 69),
        dep('js-tokens', '4.0.0', 'runtime', false, 74),
        dep('lodash', '4.17.21', 'runtime', true, 78),
        dep('loose-envify', '1.4.0', 'runtime', false, 82),
        dep('react-dom', '18.2.0', 'runtime', true, 89), // /react-dom/18.2.0_react@18.2.0
        dep('react', '18.2.0', 'runtime', true, 99),
        dep('scheduler', '0.23.0', 'runtime', false, 106),
        dep('string-width', '4.2.3', 'runtime', true, 112), // string-width-cjs: /string-width/4.2.3
        dep('strip-ansi', '6.0.1', 'runtime', false, 121),
        dep('typescript', '4.9.4', 'dev', true, 128),
      ],
      diagnostics: [INTERNAL_UI_UNRESOLVABLE(134)],
    });
  });

  it('lockfileVersion 6.0: /name@version keys, (peer) suffixes, every importer of a workspace', () => {
    expect(parse(fixture('npm/pnpm-v6.0/pnpm-lock.yaml'))).toStrictEqual({
      dependencies: [
        dep('@types/jsonwebtoken', '9.0.2', 'dev', true, 46),
        dep('@types/node', '20.4.5', 'dev', false, 52),
        dep('axios', '0.21.0', 'runtime', true, 56),
        dep('buffer-equal-constant-time', '1.0.1', 'runtime', false, 64),
        dep('ecdsa-sig-formatter', '1.0.11', 'runtime', false, 68),
        dep('follow-redirects', '1.15.2', 'runtime', false, 74),
        dep('js-tokens', '4.0.0', 'runtime', false, 84),
        dep('jsonwebtoken', '8.5.1', 'runtime', true, 88),
        dep('jwa', '1.4.1', 'runtime', false, 97),
        dep('jws', '3.2.2', 'runtime', false, 105),
        dep('lodash', '4.17.21', 'runtime', true, 112),
        dep('loose-envify', '1.4.0', 'runtime', false, 116),
        dep('ms', '2.1.3', 'runtime', false, 123),
        dep('react', '18.2.0', 'runtime', true, 127),
        dep('safe-buffer', '5.2.1', 'runtime', false, 134),
        dep('semver', '5.7.2', 'runtime', false, 138),
        dep('typescript', '5.1.6', 'dev', true, 143),
        dep('use-sync-external-store', '1.2.0', 'runtime', true, 149),
      ],
      diagnostics: [],
    });
  });

  it('lockfileVersion 9.0: name@version keys, scope from walking snapshots, aliases, sources', () => {
    expect(parse(fixture('npm/pnpm-v9.0/pnpm-lock.yaml'))).toStrictEqual(V9_EXPECTED);
  });

  it('reads the same with CRLF line endings and a BOM', () => {
    const ugly = withBomAndCrlf(fixture('npm/pnpm-v9.0/pnpm-lock.yaml'));
    expect(parse(ugly)).toStrictEqual(V9_EXPECTED);
  });

  it('lockfileVersion 9.0: the widest path wins, optional edges make optional', () => {
    const text = [
      "lockfileVersion: '9.0'", // 1
      'importers:',
      '  .:',
      '    dependencies:',
      '      app-core:',
      '        specifier: ^1.0.0',
      '        version: 1.0.0',
      '    devDependencies:',
      '      test-kit:',
      '        specifier: ^2.0.0', // 10
      '        version: 2.0.0',
      'packages:',
      '  app-core@1.0.0:',
      '    resolution: {integrity: sha512-a}',
      '  native-addon@3.0.0:', // 15
      '    resolution: {integrity: sha512-b}',
      '  shared-util@1.1.0:',
      '    resolution: {integrity: sha512-c}',
      '  test-kit@2.0.0:',
      '    resolution: {integrity: sha512-d}', // 20
      '  orphan@0.1.0:',
      '    resolution: {integrity: sha512-e}',
      'snapshots:',
      '  app-core@1.0.0:',
      '    dependencies:', // 25
      '      shared-util: 1.1.0',
      '    optionalDependencies:',
      '      native-addon: 3.0.0',
      '  native-addon@3.0.0:',
      '    optional: true', // 30
      '  shared-util@1.1.0: {}',
      '  test-kit@2.0.0:',
      '    dependencies:',
      '      shared-util: 1.1.0',
      '      native-addon: 3.0.0', // 35
      '  orphan@0.1.0: {}',
      '',
    ].join('\n');
    expect(parse(text)).toStrictEqual({
      dependencies: [
        dep('app-core', '1.0.0', 'runtime', true, 13),
        // optional for the app, required by a dev tool: optional beats dev
        dep('native-addon', '3.0.0', 'optional', false, 15),
        dep('shared-util', '1.1.0', 'runtime', false, 17), // runtime beats dev
        dep('test-kit', '2.0.0', 'dev', true, 19),
        dep('orphan', '0.1.0', 'runtime', false, 21), // unreachable: not known to be dev-only
      ],
      diagnostics: [],
    });
  });

  it('reports git, folder and tarball sources in v6 packages', () => {
    const text = [
      "lockfileVersion: '6.0'",
      'dependencies:',
      '  vendored:',
      '    specifier: file:vendor/vendored',
      '    version: file:vendor/vendored',
      'packages:',
      '  /ok@1.0.0:',
      '    resolution: {integrity: sha512-a}',
      '    dev: false',
      '  github.com/acme/forked/0123abc:',
      '    resolution: {type: git, repo: https://github.com/acme/forked.git, commit: 0123abc}',
      '    name: forked',
      '    version: 1.0.0',
      '  file:vendor/vendored:',
      '    resolution: {directory: vendor/vendored, type: directory}',
      '    name: vendored',
      '    version: 0.1.0',
      '  /custom@2.0.0:',
      '    resolution: {integrity: sha512-b, tarball: https://npm.acme.internal/custom/-/custom-2.0.0.tgz}',
      '    dev: true',
      '  /@acme/private@1.2.3:',
      '    resolution: {tarball: https://files.acme.internal/private.tgz}',
      '',
    ].join('\n');
    expect(parse(text)).toStrictEqual({
      dependencies: [dep('ok', '1.0.0', 'runtime', false, 7), dep('custom', '2.0.0', 'dev', false, 18)],
      diagnostics: [
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'forked: it comes from git (github.com/acme/forked/0123abc), not from a registry; it was skipped',
          line: 10,
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: 'vendored: it comes from the folder vendor/vendored, not from a registry; it was skipped',
          line: 14,
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            '@acme/private: it comes from https://files.acme.internal/private.tgz, not from a registry; it was skipped',
          line: 21,
        },
      ],
    });
  });

  it('warns about an unknown lockfileVersion and reads by shape', () => {
    const text = fixture('npm/pnpm-v9.0/pnpm-lock.yaml').replace(
      "lockfileVersion: '9.0'",
      "lockfileVersion: '10.1'",
    );
    expect(parse(text)).toStrictEqual({
      dependencies: V9_EXPECTED.dependencies,
      diagnostics: [
        {
          severity: 'warning',
          code: 'UNSUPPORTED_VERSION',
          message:
            'lockfileVersion 10.1 is not one RepoGuard knows (5.x, 6.x, 9.x); it was read by its shape',
          line: 2,
        },
        ...V9_EXPECTED.diagnostics,
      ],
    });
  });

  it('warns about a lockfileVersion that is a mapping, even one with its own toString key', () => {
    // String() of such a mapping calls the key's value, a string, and throws.
    expect(parse("lockfileVersion:\n  toString: 'false'\n")).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'warning',
          code: 'UNSUPPORTED_VERSION',
          message:
            'lockfileVersion {"toString":"false"} is not one RepoGuard knows (5.x, 6.x, 9.x); it was read by its shape',
          line: 1,
        },
      ],
    });
  });

  it('warns about a missing lockfileVersion', () => {
    const text = 'packages:\n  /lodash@4.17.21:\n    resolution: {integrity: sha512-x}\n';
    expect(parse(text)).toStrictEqual({
      dependencies: [dep('lodash', '4.17.21', 'runtime', false, 2)],
      diagnostics: [
        {
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: 'pnpm-lock.yaml has no lockfileVersion; it was read by its shape',
        },
      ],
    });
  });

  it('reads a truncated file up to where it breaks', () => {
    const full = fixture('npm/pnpm-v6.0/pnpm-lock.yaml');
    const cut = full.slice(
      0,
      full.indexOf('/js-tokens@4.0.0:') + '/js-tokens@4.0.0:\n    resolution: {integ'.length,
    );
    const { dependencies, diagnostics } = parse(cut);
    expect(dependencies.map((d) => `${d.name}@${d.version}`)).toStrictEqual([
      '@types/jsonwebtoken@9.0.2',
      '@types/node@20.4.5',
      'axios@0.21.0',
      'buffer-equal-constant-time@1.0.1',
      'ecdsa-sig-formatter@1.0.11',
      'follow-redirects@1.15.2',
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message:
          'pnpm-lock.yaml is not valid YAML (line 85: Flow map in block collection must be sufficiently indented and end with a }); nothing from there on was read',
        line: 85,
      },
    ]);
  });

  it.each([
    ['a scalar document', 'just some text\n'],
    ['a list', '- lockfileVersion\n- 9.0\n'],
  ])('reports %s', (_, text) => {
    expect(parse(text)).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: 'pnpm-lock.yaml is not a YAML mapping',
          line: 1,
        },
      ],
    });
  });

  it('reports the first repeated key of a large mapping and reads what comes before it', () => {
    const packages = Array.from(
      { length: 20_000 },
      (_, i) => `  p${i}@1.0.0:\n    resolution: {integrity: sha512-x}`,
    );
    const text = `lockfileVersion: '9.0'\npackages:\n${packages.join('\n')}\n  p1@1.0.0:\n    resolution: {integrity: sha512-y}\n`;
    const result = parse(text);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: `pnpm-lock.yaml is not valid YAML (line 40003: Map keys must be unique); nothing from there on was read`,
        line: 40_003,
      },
    ]);
    expect(result.dependencies).toHaveLength(20_000);
  });

  it.each([
    ['brackets', `packages:\n  a@1.0.0: ${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}\n`, 3],
    [
      'indentation',
      `packages:\n${Array.from({ length: MAX_NESTING + 2 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`,
      MAX_NESTING + 4,
    ],
    // Each `: ` or `- ` on one line opens a compact nested collection: the CI property run's case
    // (seed 1780587951) overflowed the YAML library's stack with a line of 2,000 `: `.
    ['compact mappings on one line', `${': '.repeat(2_000)}x\npackages:\n`, 2],
    ['compact sequences on one line', `${'- '.repeat(2_000)}x\npackages:\n`, 2],
    ['explicit keys on one line', `${'? '.repeat(2_000)}x\npackages:\n`, 2],
    // The YAML library's error recovery nests each of these lines one level deeper (the CI property
    // run's case, seed 872799149): no bracket, indentation or indicator count sees it, and past a
    // few hundred lines the library's stack runs out at a depth that varies from call to call.
    [
      'implicit keys that run on over lines',
      `k: 5.4\n  x\n${'    dev: true\n'.repeat(COMPOSED_MAX_NESTING + 50)}`,
      402,
      COMPOSED_MAX_NESTING,
    ],
    [
      'implicit keys that run on past the stack',
      `k: 5.4\n  x\n${'    dev: true\n'.repeat(3_000)}`,
      402,
      COMPOSED_MAX_NESTING,
    ],
  ])(
    'refuses a document nested past MAX_NESTING by %s, the same way every time',
    (_, body, line, limit = MAX_NESTING) => {
      const text = `lockfileVersion: '9.0'\n${body}`;
      const expected = {
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: `pnpm-lock.yaml nests deeper than ${limit} levels (line ${line}), which lock files never do; it was not read`,
            line,
          },
        ],
      };
      expect(parse(text)).toEqual(expected);
      expect(parse(text)).toEqual(expected);
      // From deeper in the stack, as a parser thread's caller might be.
      expect(deeperInStack(400, () => parse(text))).toEqual(expected);
    },
  );

  it('reads brackets and indentation up to MAX_NESTING', () => {
    const text = `lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {x: ${'['.repeat(MAX_NESTING - 1)}${']'.repeat(MAX_NESTING - 1)}}\n`;
    expect(parse(text).diagnostics).toEqual([]);
  });

  it('refuses a document with YAML aliases (an expansion bomb) instead of expanding it', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      rows.push(`${'a'.repeat(i + 1)}: &${'a'.repeat(i + 1)} [${`*${'a'.repeat(i)}, `.repeat(10)}]`);
    const text = `lockfileVersion: '9.0'\n${rows.join('\n')}\npackages:\n  lodash@4.17.21: *${'a'.repeat(12)}\n`;
    expect(parse(text)).toEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message:
            'pnpm-lock.yaml uses YAML aliases (line 3), which lock files never contain; it was not read',
          line: 3,
        },
      ],
    });
  });

  it('skips binary content', () => {
    expect(parse('lockfileVersion\u0000\u0000\u0001')).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'pnpm-lock.yaml is not a text file (binary content); it was skipped',
        },
      ],
    });
  });

  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\uFEFF\n\n'],
  ])('reports %s', (_, text) => {
    expect(parse(text)).toStrictEqual({
      dependencies: [],
      diagnostics: [
        { severity: 'error', code: 'EMPTY_FILE', message: 'pnpm-lock.yaml is empty; nothing was read' },
      ],
    });
  });
});

describe('pnpmLockParser: hashes and the dependency graph', () => {
  it.each([
    ['5.4', 'npm/pnpm-v5.4/pnpm-lock.yaml', '18.2.0', '0.23.0'],
    ['9.0', 'npm/pnpm-v9.0/pnpm-lock.yaml', '18.3.1', '0.23.2'],
  ])(
    'lockfileVersion %s: resolution.integrity, and edges to the resolved versions',
    (_, file, react, scheduler) => {
      const { dependencies } = parseWithMetadata(fixture(file));
      const graph = graphOf(dependencies);
      // The peer suffix (`_react@…`, `(react@…)`) is not part of the version an edge points at.
      expect(graph[`react-dom@${react}`]).toStrictEqual([
        'loose-envify@1.4.0',
        `react@${react}`,
        `scheduler@${scheduler}`,
      ]);
      expect(graph['strip-ansi@6.0.1']).toStrictEqual(['ansi-regex@5.0.1']);
      expect(graph['lodash@4.17.21']).toStrictEqual([]);
      expect(dependencies.find((d) => d.name === 'strip-ansi')?.hashes).toStrictEqual([
        sri(
          'SHA-512',
          'MKdmJdX8deOrZ5OxmBmTXmXkPPN0WDIGHLQypd5/3BfWbt53lz1a7QZbx+PgU268xRKVBpVVdOIwuStxvSyxxw==',
        ),
      ]);
      expect(dependencies.every((d) => d.licenses === undefined)).toBe(true);
    },
  );

  it('lockfileVersion 6.0: edges from packages, none to a package the lock does not list', () => {
    const { dependencies } = parseWithMetadata(fixture('npm/pnpm-v6.0/pnpm-lock.yaml'));
    const graph = graphOf(dependencies);
    expect(graph['jws@3.2.2']).toStrictEqual(['jwa@1.4.1', 'safe-buffer@5.2.1']);
    // follow-redirects' peer `debug` is a range, not a resolved package.
    expect(graph['follow-redirects@1.15.2']).toStrictEqual([]);
  });

  it('lockfileVersion 9.0: peer variants of one package merge their edges; cycles and aliases resolve', () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      a: {specifier: ^1.0.0, version: 1.0.0(p@1.0.0)}',
      'packages:',
      '  a@1.0.0: {resolution: {integrity: sha1-qvTGHdzF6KLavt4PO0gs2a6pQ00=}}',
      '  b@1.0.0: {resolution: {integrity: not-an-integrity}}',
      '  p@1.0.0: {resolution: {integrity: sha1-qvTGHdzF6KLavt4PO0gs2a6pQ00=}}',
      '  p@2.0.0: {}',
      '  q@1.0.0: {}',
      'snapshots:',
      '  a@1.0.0(p@1.0.0):',
      '    dependencies: {b: 1.0.0, p: 1.0.0}',
      '  a@1.0.0(p@2.0.0):',
      '    dependencies: {b: 1.0.0, p: 2.0.0, gone: 9.9.9}',
      '    optionalDependencies: {q-alias: q@1.0.0}',
      '  b@1.0.0:',
      '    dependencies: {a: 1.0.0(p@1.0.0)}',
      '  p@1.0.0: {}',
      '  p@2.0.0: {}',
      '  q@1.0.0: {}',
    ].join('\n');
    const { dependencies } = parseWithMetadata(text);
    expect(graphOf(dependencies)).toStrictEqual({
      'a@1.0.0': ['b@1.0.0', 'p@1.0.0', 'p@2.0.0', 'q@1.0.0'],
      'b@1.0.0': ['a@1.0.0'],
      'p@1.0.0': [],
      'p@2.0.0': [],
      'q@1.0.0': [],
    });
    expect(dependencies.find((d) => d.name === 'a')?.hashes).toStrictEqual([
      { algorithm: 'SHA-1', content: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' },
    ]);
    expect(dependencies.find((d) => d.name === 'b')).not.toHaveProperty('hashes');
  });
});

describe('parsePnpmPackageKey', () => {
  it.each([
    ['/lodash/4.17.21', 'lodash', '4.17.21'],
    ['/@babel/core/7.20.0', '@babel/core', '7.20.0'],
    ['/react-dom/18.2.0_react@18.2.0', 'react-dom', '18.2.0'],
    ['/@babel/plugin-x/7.0.0_@babel+core@7.20.0', '@babel/plugin-x', '7.0.0'],
    ['/lodash@4.17.21', 'lodash', '4.17.21'],
    ['/@types/react@18.2.0(@types/node@20.0.0)', '@types/react', '18.2.0'],
    ['react-dom@18.3.1(react@18.3.1)(scheduler@0.23.2)', 'react-dom', '18.3.1'],
    ['@scope/pkg@1.0.0-rc.1', '@scope/pkg', '1.0.0-rc.1'],
  ])('%s → %s %s', (key, name, version) => {
    expect(parsePnpmPackageKey(key)).toStrictEqual({ name, version });
  });

  it.each(['/lodash', 'lodash', '@scope/only', '//1.0.0', '/'])('%s has no name and version', (key) => {
    expect(parsePnpmPackageKey(key)).toBeNull();
  });
});

function deeperInStack<T>(frames: number, run: () => T): T {
  return frames === 0 ? run() : deeperInStack(frames - 1, run);
}
