import {
  buildSyntheticPackageLock,
  SYNTHETIC_LOCK_LAYOUT,
} from '../../../../../../test/fixtures/generators/package-lock.generator';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { MAX_JSON_NESTING } from '../../../shared/json-nesting';
import type { DependencyScope, ParsedDependency } from '../../manifest.types';
import { graphOf, resultWithoutLockMetadata, sri } from '../lock-metadata.test-helper';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { packageLockParser } from './package-lock.parser';

const fixture = manifestFixtures();

const dep = (
  name: string,
  version: string,
  scope: DependencyScope,
  direct: boolean,
  line: number | undefined,
  manifestPath = 'package-lock.json',
) =>
  ({
    ecosystem: 'npm',
    name,
    version,
    scope,
    direct,
    manifestPath,
    ...(line === undefined ? {} : { line }),
  }) satisfies ParsedDependency;

// What the parser always read; hashes, licences and edges have their own specs below.
const parse = (text: string, path = 'package-lock.json') =>
  resultWithoutLockMetadata(packageLockParser.parse(path, text));
const parseWithMetadata = (text: string) => packageLockParser.parse('package-lock.json', text);

const V3_DEPENDENCIES = [
  dep('@esbuild/linux-x64', '0.20.2', 'dev', false, 35), // devOptional
  dep('@types/node', '20.12.7', 'dev', true, 52),
  dep('accepts', '1.3.8', 'runtime', false, 62),
  dep('ansi-regex', '5.0.1', 'runtime', false, 75),
  dep('debug', '2.6.9', 'runtime', false, 84),
  dep('express', '4.18.2', 'runtime', true, 93),
  dep('fsevents', '2.3.3', 'optional', true, 107),
  dep('js-tokens', '4.0.0', 'runtime', false, 129), // peer: true installs count as runtime
  dep('loose-envify', '1.4.0', 'runtime', false, 148),
  dep('mime-db', '1.52.0', 'runtime', false, 161),
  dep('mime-types', '2.1.35', 'runtime', false, 170),
  dep('ms', '2.0.0', 'runtime', false, 182),
  dep('negotiator', '0.6.3', 'runtime', false, 188),
  dep('react', '18.2.0', 'runtime', true, 197), // the root's peerDependencies
  dep('send', '0.18.0', 'runtime', false, 210),
  dep('ms', '2.1.3', 'runtime', false, 223), // node_modules/send/node_modules/ms
  // node_modules/string-width (line 229) and the alias node_modules/string-width-cjs merge; the
  // alias is what the root declares, so the entry is direct and points there.
  dep('string-width', '4.2.3', 'runtime', true, 241),
  dep('strip-ansi', '6.0.1', 'runtime', false, 254),
  dep('typescript', '5.4.5', 'dev', true, 266),
  dep('undici-types', '5.26.5', 'dev', false, 280),
  dep('lodash', '4.17.21', 'runtime', false, 295), // inside the workspace folder: not top level
];

const V3_DIAGNOSTICS = [
  {
    severity: 'info',
    code: 'WORKSPACE_LINK',
    message: '@acme/shared links to packages/shared (a workspace or local folder); it was skipped',
    line: 31,
  },
  {
    severity: 'warning',
    code: 'UNRESOLVABLE',
    message:
      'internal-ui@2.1.0: it comes from git+ssh://git@github.com/acme/internal-ui.git#8f3c2b1d9e0a4f6b7c8d9e0f1a2b3c4d5e6f7a8b, not from a registry; it was skipped',
    line: 121,
  },
  {
    severity: 'warning',
    code: 'UNRESOLVABLE',
    message:
      'left-pad-fork@1.3.0: it comes from https://cdn.example.com/left-pad-fork-1.3.0.tgz, not from a registry; it was skipped',
    line: 136,
  },
  {
    severity: 'warning',
    code: 'UNRESOLVABLE',
    message:
      'local-tarball@0.3.0: it comes from file:vendor/local-tarball-0.3.0.tgz, not from a registry; it was skipped',
    line: 142,
  },
];

describe('packageLockParser', () => {
  describe('lockfileVersion 3', () => {
    it('reads the packages map: nested paths, scopes, aliases, dev/optional flags, direct, lines', () => {
      const { dependencies, diagnostics } = parse(fixture('npm/package-lock-v3/package-lock.json'));
      expect(dependencies).toStrictEqual(V3_DEPENDENCIES);
      expect(diagnostics).toStrictEqual(V3_DIAGNOSTICS);
    });

    it('reads the same with CRLF line endings and a BOM', () => {
      const ugly = withBomAndCrlf(fixture('npm/package-lock-v3/package-lock.json'));
      expect(parse(ugly)).toStrictEqual({ dependencies: V3_DEPENDENCIES, diagnostics: V3_DIAGNOSTICS });
    });

    it('reads a minified file, every line being 1', () => {
      const minified = JSON.stringify(JSON.parse(fixture('npm/package-lock-v3/package-lock.json')));
      const { dependencies, diagnostics } = parse(minified);
      expect(dependencies).toStrictEqual(V3_DEPENDENCIES.map((d) => ({ ...d, line: 1 })));
      expect(diagnostics).toStrictEqual(V3_DIAGNOSTICS.map((d) => ({ ...d, line: 1 })));
    });

    it('keeps the scope and case of nested scoped names and reports broken entries', () => {
      const text = [
        '{',
        '  "lockfileVersion": 3,',
        '  "packages": {',
        '    "": { "dependencies": { "a": "^1.0.0", "JSONStream": "^1.3.5" } },',
        '    "node_modules/a": { "version": "1.0.0" },',
        '    "node_modules/a/node_modules/@Legacy/Thing": { "version": "0.1.0", "optional": true },',
        '    "node_modules/JSONStream": { "version": "1.3.5", "dev": true, "optional": true },',
        '    "node_modules/no-version": { "resolved": "https://registry.npmjs.org/x/-/x-1.0.0.tgz" },',
        '    "node_modules/not-an-object": "1.0.0",',
        '    "node_modules/range": { "version": "^2.0.0" },',
        '    "node_modules/gh": { "version": "3.0.0", "resolved": "https://npm.pkg.github.com/download/@acme/gh/3.0.0/abc" }',
        '  }',
        '}',
      ].join('\n');
      const { dependencies, diagnostics } = parse(text);
      expect(dependencies).toStrictEqual([
        dep('a', '1.0.0', 'runtime', true, 5),
        dep('@Legacy/Thing', '0.1.0', 'optional', false, 6),
        dep('JSONStream', '1.3.5', 'dev', true, 7), // dev wins over optional
        dep('gh', '3.0.0', 'runtime', false, 11), // GitHub Packages is a registry
      ]);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: 'no-version: no version is locked; it was skipped',
          line: 8,
        },
        {
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: '"node_modules/not-an-object" is not an object; it was skipped',
          // a string value is not a `"key": {` opening, so its line is not known
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: 'range: "^2.0.0" is not a registry version; it was skipped',
          line: 10,
        },
      ]);
    });

    // Its speed is measured by `npm run bench:domain`, not asserted here.
    it('parses a 5,000-package lock file completely', () => {
      const { dependencies, diagnostics } = parse(buildSyntheticPackageLock(5000));
      expect(diagnostics).toStrictEqual([]);
      expect(dependencies).toHaveLength(5000);
      expect(new Set(dependencies.map((d) => `${d.name}@${d.version}`)).size).toBe(5000);
      expect(dependencies.filter((d) => d.direct).map((d) => d.name)).toStrictEqual(
        dependencies.slice(0, SYNTHETIC_LOCK_LAYOUT.directCount).map((d) => d.name),
      );
      expect(dependencies.slice(0, 4).map((d) => [d.name, d.version, d.scope, d.line])).toStrictEqual([
        ['lodash', '4.17.21', 'runtime', 35],
        ['react', '18.2.0', 'runtime', 41],
        ['@babel/core', '7.24.5', 'dev', 47],
        ['@types/node', '20.12.7', 'runtime', 54],
      ]);
      expect(dependencies.filter((d) => d.scope === 'dev')).toHaveLength(1002);
      expect(dependencies.every((d) => d.line !== undefined)).toBe(true);
    });
  });

  it('lockfileVersion 2: reads the packages map and ignores the legacy dependencies tree', () => {
    const { dependencies, diagnostics } = parse(fixture('npm/package-lock-v2/package-lock.json'));
    expect(dependencies).toStrictEqual([
      dep('ansi-styles', '4.3.0', 'dev', false, 19),
      dep('chalk', '4.1.2', 'dev', true, 31),
      dep('color-convert', '2.0.1', 'dev', false, 44),
      dep('color-name', '1.1.4', 'dev', false, 56),
      dep('debug', '4.3.4', 'runtime', true, 62),
      dep('has-flag', '4.0.0', 'dev', false, 78),
      dep('lodash', '4.17.21', 'runtime', true, 87),
      dep('ms', '2.1.2', 'runtime', false, 92),
      dep('supports-color', '7.2.0', 'dev', false, 97),
    ]);
    expect(diagnostics).toStrictEqual([]);
  });

  it('lockfileVersion 1: walks the nested tree; top-level entries are direct', () => {
    const { dependencies, diagnostics } = parse(fixture('npm/package-lock-v1/package-lock.json'));
    expect(dependencies).toStrictEqual([
      dep('axios', '0.21.0', 'runtime', true, 7),
      dep('debug', '2.6.9', 'runtime', true, 15),
      dep('follow-redirects', '1.13.0', 'runtime', true, 23),
      dep('fsevents', '1.2.13', 'dev', true, 28), // dev and optional: dev wins
      dep('minimist', '1.2.0', 'dev', true, 42),
      dep('mkdirp', '0.5.1', 'dev', true, 48),
      dep('minimist', '0.0.8', 'dev', false, 57), // mkdirp's own copy
      dep('ms', '2.0.0', 'runtime', true, 65),
      dep('nan', '2.14.0', 'optional', true, 74),
      dep('send', '0.17.1', 'runtime', true, 80),
      dep('ms', '2.1.1', 'runtime', false, 89), // send's own copy: the line of the nested key
      dep('string-width', '4.2.3', 'runtime', true, 96), // "str-cjs": "npm:string-width@4.2.3"
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message: 'local-utils: "file:../local-utils" is not a registry version; it was skipped',
        line: 39,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'my-fork: "git+https://github.com/acme/my-fork.git#1f2e3d4c5b6a79881726354433221100ffeeddcc" is not a registry version; it was skipped',
        line: 70,
      },
    ]);
  });

  it('lockfileVersion 1: a very deep tree does not overflow the stack', () => {
    let tree = '{ "version": "0.0.1" }';
    for (let depth = 0; depth < 5000; depth++) {
      tree = `{ "version": "1.0.${depth}", "dependencies": { "deep": ${tree} } }`;
    }
    const { dependencies, diagnostics } = parse(
      `{ "lockfileVersion": 1, "dependencies": { "deep": ${tree} } }`,
    );
    expect(dependencies).toHaveLength(5001);
    expect(dependencies[0]).toStrictEqual(dep('deep', '1.0.4999', 'runtime', true, 1));
    expect(diagnostics).toStrictEqual([]);
  });

  it('skips entries that name no package, in the packages map and in the v1 tree', () => {
    const v3 = parse(
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/": {"version": "1.0.0"},\n    "node_modules/ms": {"version": "2.1.3"}\n  }\n}\n',
    );
    expect(v3.dependencies.map((d) => [d.name, d.version])).toEqual([['ms', '2.1.3']]);
    expect(v3.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: '"node_modules/" names no package; it was skipped',
        line: 4,
      },
    ]);
    const v1 = parse(
      '{"lockfileVersion": 1, "dependencies": {"ms": {"version": "2.1.3", "dependencies": {"": {"version": "1.0.0"}}}}}',
    );
    expect(v1.dependencies.map((d) => [d.name, d.version])).toEqual([['ms', '2.1.3']]);
    expect(v1.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['MISSING_FIELD', 'dependency "" names no package; it was skipped'],
    ]);
  });

  it('refuses JSON nested deeper than MAX_JSON_NESTING before parsing it', () => {
    const depth = MAX_JSON_NESTING + 1;
    expect(parse(`{"lockfileVersion": 3,\n"x": ${'['.repeat(depth)}${']'.repeat(depth)}}`)).toEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: `package-lock.json nests deeper than ${MAX_JSON_NESTING} levels (line 2); it was not read`,
          line: 2,
        },
      ],
    });
  });

  it('reads npm-shrinkwrap.json, which has the same format', () => {
    const path = 'tools/cli/npm-shrinkwrap.json';
    const { dependencies, diagnostics } = parse(fixture('npm/shrinkwrap/npm-shrinkwrap.json'), path);
    expect(dependencies).toStrictEqual([
      dep('commander', '9.4.1', 'runtime', true, 22, path),
      dep('node-fetch', '2.6.1', 'runtime', true, 31, path),
      dep('prettier', '2.8.8', 'dev', true, 40, path),
    ]);
    expect(diagnostics).toStrictEqual([]);
  });

  it('reads the ugly web fixture: tabs, CRLF, no final newline, known-vulnerable versions', () => {
    const text = fixture('ugly/web/package-lock.json');
    expect(text).toContain('\r\n\t\t"node_modules/lodash": {');
    expect(text.endsWith('}')).toBe(true);
    const { dependencies, diagnostics } = parse(text);
    expect(dependencies).toStrictEqual([
      dep('axios', '0.21.0', 'runtime', true, 20),
      dep('buffer-equal-constant-time', '1.0.1', 'runtime', false, 29),
      dep('cross-fetch', '3.0.4', 'runtime', true, 35),
      dep('deep-extend', '0.6.0', 'dev', false, 45),
      dep('ecdsa-sig-formatter', '1.0.11', 'runtime', false, 55),
      dep('follow-redirects', '1.13.0', 'runtime', false, 64),
      dep('ini', '1.3.5', 'dev', false, 79),
      dep('jsonwebtoken', '8.5.1', 'runtime', true, 90),
      dep('jwa', '1.4.1', 'runtime', false, 105),
      dep('jws', '3.2.2', 'runtime', false, 116),
      dep('lodash', '4.17.15', 'runtime', true, 126),
      dep('minimist', '1.2.0', 'dev', false, 132),
      dep('ms', '2.1.2', 'runtime', false, 139),
      dep('node-fetch', '2.6.0', 'runtime', false, 145),
      dep('rc', '1.2.8', 'dev', true, 154),
      dep('safe-buffer', '5.2.1', 'runtime', false, 170),
      dep('semver', '5.7.1', 'runtime', false, 182),
      dep('strip-json-comments', '2.0.1', 'dev', false, 191),
      dep('whatwg-fetch', '3.0.0', 'runtime', false, 201),
    ]);
    expect(diagnostics).toStrictEqual([]);
  });

  describe('unknown or missing lockfileVersion', () => {
    it('warns about an unknown version and still reads the packages map', () => {
      const text = fixture('npm/package-lock-v2/package-lock.json').replace(
        '"lockfileVersion": 2',
        '"lockfileVersion": 4',
      );
      const { dependencies, diagnostics } = parse(text);
      expect(dependencies).toHaveLength(9);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'UNSUPPORTED_VERSION',
          message:
            'lockfileVersion 4 is not one RepoGuard knows (1-3); it was read as the closest known format',
          line: 4,
        },
      ]);
    });

    it('reads a file without lockfileVersion by its shape', () => {
      const text = '{\n  "name": "x",\n  "dependencies": {\n    "ms": { "version": "2.1.3" }\n  }\n}\n';
      const { dependencies, diagnostics } = parse(text);
      expect(dependencies).toStrictEqual([dep('ms', '2.1.3', 'runtime', true, 4)]);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: 'package-lock.json has no lockfileVersion; it was read by its shape',
        },
      ]);
    });

    it('reports a version 3 file with neither packages nor dependencies', () => {
      expect(parse('{ "name": "x", "lockfileVersion": 3 }')).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'warning',
            code: 'MISSING_FIELD',
            message: 'package-lock.json has neither a "packages" map nor a "dependencies" tree',
          },
        ],
      });
    });

    it('accepts a version 1 file without dependencies (a project with none)', () => {
      expect(
        parse('{ "name": "x", "version": "1.0.0", "lockfileVersion": 1, "requires": true }'),
      ).toStrictEqual({
        dependencies: [],
        diagnostics: [],
      });
    });
  });

  describe('unreadable content', () => {
    const invalid = (line: number, detail: string) => ({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: `package-lock.json is not valid JSON (${detail})`,
          line,
        },
      ],
    });

    it.each([
      [
        'a missing comma',
        '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": "1.0.0" }\n    "node_modules/b": {}\n  }\n}\n',
        invalid(5, `line 5, column 5: expected ',' or '}', found '"'`),
      ],
      [
        'a trailing comma',
        '{\n  "lockfileVersion": 3,\n}',
        invalid(3, `line 3, column 1: expected a property name in double quotes, found '}'`),
      ],
      [
        'a bare word',
        '{ "lockfileVersion": three }',
        invalid(1, `line 1, column 22: expected a value, found 't'`),
      ],
      [
        'a line break in a string',
        '{\n  "name": "a\nb"\n}',
        invalid(2, 'line 2, column 13: line break or control character inside a string'),
      ],
      ['a bad escape', '{ "name": "a\\qb" }', invalid(1, 'line 1, column 14: invalid escape in string')],
      ['a bad number', '{ "lockfileVersion": -x }', invalid(1, 'line 1, column 22: invalid number')],
      [
        'a missing colon',
        '{ "lockfileVersion" 3 }',
        invalid(1, `line 1, column 21: expected ':' after a property name, found '3'`),
      ],
      ['content after the end', '{}\n{}', invalid(2, 'line 2, column 1: unexpected content after the end')],
      ['an unterminated string', '{ "name": "abc', invalid(1, 'line 1, column 15: unterminated string')],
    ])('reports %s with its line and column', (_, text, expected) => {
      expect(parse(text)).toStrictEqual(expected);
    });

    it('reports a truncated file at its end', () => {
      const full = fixture('npm/package-lock-v3/package-lock.json');
      const truncated = full.split('\n').slice(0, 100).join('\n');
      expect(parse(truncated)).toStrictEqual(
        invalid(
          100,
          'line 100, column 26: expected a property name in double quotes, found the end of the file',
        ),
      );
    });

    it('reports JSON that is not an object', () => {
      expect(parse('[1, 2, 3]')).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: 'package-lock.json is JSON but not an object',
            line: 1,
          },
        ],
      });
    });

    it('skips binary content', () => {
      expect(parse('\u0000\u0001PK\u0003\u0004garbage\u0000')).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'NOT_TEXT',
            message: 'package-lock.json is not a text file (binary content); it was skipped',
          },
        ],
      });
    });

    it.each([
      ['an empty file', ''],
      ['a file of blank lines', '\uFEFF\r\n  \r\n'],
    ])('reports %s', (_, text) => {
      expect(parse(text)).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'EMPTY_FILE',
            message: 'package-lock.json is empty; nothing was read',
          },
        ],
      });
    });
  });

  describe('hashes, licences and the dependency graph', () => {
    it('lockfileVersion 3: integrity as SHA-512 hex, the licence, edges resolved from each install path', () => {
      const { dependencies } = parseWithMetadata(fixture('npm/package-lock-v3/package-lock.json'));
      const express = dependencies.find((d) => d.name === 'express');
      expect(express).toStrictEqual({
        ...dep('express', '4.18.2', 'runtime', true, 93),
        hashes: [
          sri(
            'SHA-512',
            'BETSeBhc75eQie6auXgLUg3O7qEBPKTelWPeSZ1wyYuHLI2e5t9/4QYZlIa7jttOoWylKQPJ1YUDJE7ak2/xtw==',
          ),
        ],
        licenses: ['MIT'],
        dependsOn: [
          { name: 'accepts', version: '1.3.8' },
          { name: 'debug', version: '2.6.9' },
          { name: 'send', version: '0.18.0' },
        ],
      });
      const graph = graphOf(dependencies);
      // send's own nested ms wins over the hoisted one; debug resolves to the top level.
      expect(graph['send@0.18.0']).toStrictEqual(['debug@2.6.9', 'ms@2.1.3']);
      expect(graph['debug@2.6.9']).toStrictEqual(['ms@2.0.0']);
      expect(graph['@types/node@20.12.7']).toStrictEqual(['undici-types@5.26.5']);
      // The alias and the package merge into one, with the edges of both.
      expect(graph['string-width@4.2.3']).toStrictEqual(['strip-ansi@6.0.1']);
      // A package with no dependencies has an empty graph, not an unknown one.
      expect(graph['ansi-regex@5.0.1']).toStrictEqual([]);
      expect(dependencies.find((d) => d.name === 'typescript')?.licenses).toStrictEqual(['Apache-2.0']);
      expect(dependencies.every((d) => d.hashes?.length === 1)).toBe(true);
    });

    it('lockfileVersion 3: cycles, optional and peer edges, nearest copy up the path, only packages it lists', () => {
      const integrity = 'sha1-qvTGHdzF6KLavt4PO0gs2a6pQ00=';
      const lock = {
        lockfileVersion: 3,
        packages: {
          '': { dependencies: { a: '^1.0.0', b: '^1.0.0' } },
          'node_modules/a': {
            version: '1.0.0',
            integrity,
            license: 'ISC',
            dependencies: { b: '^1.0.0', c: '^1.0.0', gone: '^1.0.0', linked: '*', forked: '*' },
            optionalDependencies: { d: '^1.0.0' },
            peerDependencies: { e: '^1.0.0' },
          },
          'node_modules/b': { version: '1.0.0', dependencies: { a: '^1.0.0', c: '^2.0.0' } },
          'node_modules/b/node_modules/c': { version: '2.0.0', dependencies: { b: '^1.0.0' } },
          'node_modules/c': { version: '1.0.0' },
          'node_modules/d': { version: '1.0.0', optional: true },
          'node_modules/e': { version: '1.0.0', peer: true },
          'node_modules/linked': { resolved: 'packages/linked', link: true },
          'node_modules/forked': { version: '1.0.0', resolved: 'git+ssh://git@github.com/x/forked.git' },
        },
      };
      const { dependencies } = parseWithMetadata(JSON.stringify(lock));
      expect(graphOf(dependencies)).toStrictEqual({
        'a@1.0.0': ['b@1.0.0', 'c@1.0.0', 'd@1.0.0', 'e@1.0.0'],
        'b@1.0.0': ['a@1.0.0', 'c@2.0.0'],
        'c@2.0.0': ['b@1.0.0'],
        'c@1.0.0': [],
        'd@1.0.0': [],
        'e@1.0.0': [],
      });
      const a = dependencies.find((d) => d.name === 'a');
      expect(a?.hashes).toStrictEqual([
        { algorithm: 'SHA-1', content: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' },
      ]);
      expect(a?.licenses).toStrictEqual(['ISC']);
      expect(dependencies.find((d) => d.name === 'b')).not.toHaveProperty('hashes');
      expect(dependencies.find((d) => d.name === 'b')).not.toHaveProperty('licenses');
    });

    it('lockfileVersion 1: integrity, and `requires` resolved through the nested trees', () => {
      const { dependencies } = parseWithMetadata(fixture('npm/package-lock-v1/package-lock.json'));
      expect(graphOf(dependencies)).toMatchObject({
        'axios@0.21.0': ['follow-redirects@1.13.0'],
        'debug@2.6.9': ['ms@2.0.0'],
        'fsevents@1.2.13': ['nan@2.14.0'], // bindings is not in the lock
        'mkdirp@0.5.1': ['minimist@0.0.8'],
        'send@0.17.1': ['debug@2.6.9', 'ms@2.1.1'],
        'ms@2.1.1': [],
        'string-width@4.2.3': [],
      });
      expect(dependencies.find((d) => d.name === 'axios')?.hashes).toStrictEqual([
        sri(
          'SHA-512',
          '3KlEAGkey664svwa2Jc/qXzU5PePv0gFSaunBLdgfcUL7wWKSrPBaWKmgbEFY9XqmOz4h7RA1YwUFKmQqW92NA==',
        ),
      ]);
    });

    it('lockfileVersion 1: a cycle through `requires` is stored as edges both ways', () => {
      const lock = {
        lockfileVersion: 1,
        dependencies: {
          a: { version: '1.0.0', requires: { b: '1.0.0' } },
          b: { version: '1.0.0', requires: { a: '1.0.0', b: '1.0.0' } },
        },
      };
      expect(graphOf(parseWithMetadata(JSON.stringify(lock)).dependencies)).toStrictEqual({
        'a@1.0.0': ['b@1.0.0'],
        'b@1.0.0': ['a@1.0.0', 'b@1.0.0'],
      });
    });
  });
});
