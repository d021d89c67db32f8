import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { lineTooLong, MAX_LINE_LENGTH } from '../../line-limits';
import type { ParsedDependency } from '../../manifest.types';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { yarnLockParser } from './yarn-lock.parser';

const fixture = manifestFixtures();

// yarn.lock says neither who asked for a package nor whether for development.
const dep = (name: string, version: string, line: number, manifestPath = 'yarn.lock') =>
  ({
    ecosystem: 'npm',
    name,
    version,
    scope: 'runtime',
    direct: false,
    manifestPath,
    line,
  }) satisfies ParsedDependency;

const unresolvable = (message: string, line: number) => ({
  severity: 'warning',
  code: 'UNRESOLVABLE',
  message: `${message}; it was skipped`,
  line,
});

const parse = (text: string, path = 'yarn.lock') => yarnLockParser.parse(path, text);

describe('yarnLockParser', () => {
  describe('yarn v1', () => {
    const EXPECTED = {
      dependencies: [
        dep('@babel/code-frame', '7.22.13', 5),
        dep('@babel/helper-validator-identifier', '7.22.20', 13),
        dep('@babel/highlight', '7.22.20', 18),
        dep('ansi-regex', '5.0.1', 27),
        dep('chalk', '2.4.2', 32),
        dep('js-tokens', '4.0.0', 47),
        dep('lodash', '4.17.15', 59),
        dep('lodash', '4.17.21', 64), // two ranges, one entry
        dep('minimist', '1.2.0', 69),
        // "string-width-cjs@npm:string-width@^4.2.0" (line 74) and string-width@^4.1.0 (line 83)
        dep('string-width', '4.2.3', 74),
        dep('strip-ansi', '6.0.1', 92),
      ],
      diagnostics: [
        unresolvable(
          'internal-ui@2.1.0: it comes from git+ssh://git@github.com/acme/internal-ui.git#v2.1.0, not from a registry',
          41,
        ),
        unresolvable(
          'left-pad-fork@1.3.0: it comes from https://cdn.example.com/left-pad-fork-1.3.0.tgz, not from a registry',
          52,
        ),
        unresolvable('local-utils@0.1.0: it comes from file:./vendor/local-utils, not from a registry', 56),
      ],
    };

    it('reads entries, several ranges per entry, aliases, and skips git, URL and file sources', () => {
      expect(parse(fixture('npm/yarn-v1/yarn.lock'))).toStrictEqual(EXPECTED);
    });

    it('reads the same with CRLF line endings and a BOM', () => {
      const ugly = withBomAndCrlf(fixture('npm/yarn-v1/yarn.lock'));
      expect(parse(ugly)).toStrictEqual(EXPECTED);
    });

    it('reads both sides of a merge conflict and says so', () => {
      const text = [
        '# yarn lockfile v1',
        '',
        '',
        '<<<<<<< HEAD',
        'lodash@^4.17.21:',
        '  version "4.17.21"',
        '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"',
        '=======',
        'lodash@^4.17.20:',
        '  version "4.17.20"',
        '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.20.tgz#406ec6c8b1f1bfba94e1fdb8d2f54a1bd3b1d6b2"',
        '>>>>>>> feature/upgrade',
        '',
      ].join('\n');
      expect(parse(text)).toStrictEqual({
        dependencies: [dep('lodash', '4.17.21', 5), dep('lodash', '4.17.20', 9)],
        diagnostics: [
          {
            severity: 'error',
            code: 'MERGE_CONFLICT',
            message: 'yarn.lock contains git merge conflict markers; entries from both sides were read',
            line: 4,
          },
        ],
      });
    });

    it('skips malformed lines and entries without a version (a truncated file)', () => {
      const text = [
        '# yarn lockfile v1',
        '',
        'left-pad@^1.3.0:',
        '  version "1.3.0"',
        '  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e"',
        'this line is garbage',
        '  version "9.9.9"',
        'ms@^2.1.1:',
        '  version',
        '  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#574c8138ce1d2b5861f0b44579dbadd60c6615b2"',
        'tagged@latest:',
        '  version "next"',
        '"@scope/truncated@^1.0.0":',
      ].join('\n');
      expect(parse(text)).toStrictEqual({
        dependencies: [dep('left-pad', '1.3.0', 3)],
        diagnostics: [
          {
            severity: 'warning',
            code: 'INVALID_SYNTAX',
            message:
              'expected "descriptor:" to start an entry, found "this line is garbage"; the line was skipped',
            line: 6,
          },
          {
            severity: 'warning',
            code: 'INVALID_SYNTAX',
            message: 'indented line outside an entry: "version "9.9.9""; it was skipped',
            line: 7,
          },
          {
            severity: 'warning',
            code: 'INVALID_SYNTAX',
            message: 'expected "key value", found "version"; the line was skipped',
            line: 9,
          },
          {
            severity: 'warning',
            code: 'MISSING_FIELD',
            message: 'ms@^2.1.1 has no version; it was skipped',
            line: 8,
          },
          unresolvable('tagged: "next" is not a registry version', 11),
          {
            severity: 'warning',
            code: 'MISSING_FIELD',
            message: '@scope/truncated@^1.0.0 has no version; it was skipped',
            line: 13,
          },
        ],
      });
    });

    it('skips lines over MAX_LINE_LENGTH with LINE_TOO_LONG, and the fields of an entry whose header was one', () => {
      const longHeader = `"${'a'.repeat(MAX_LINE_LENGTH)}@^1":`;
      const longField = `  resolved "https://registry.yarnpkg.com/${'b'.repeat(MAX_LINE_LENGTH)}.tgz"`;
      const text = [
        '# yarn lockfile v1',
        '',
        'left-pad@^1.3.0:',
        '  version "1.3.0"',
        longField,
        '',
        longHeader,
        '  version "9.9.9"',
        '',
        'ms@^2.1.1:',
        '  version "2.1.3"',
      ].join('\n');
      expect(parse(text)).toEqual({
        dependencies: [dep('left-pad', '1.3.0', 3), dep('ms', '2.1.3', 10)],
        diagnostics: [lineTooLong(5, longField.length), lineTooLong(7, longHeader.length)],
      });
    });

    it('accepts a lock file with only its header (a project without dependencies)', () => {
      expect(
        parse('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n'),
      ).toStrictEqual({ dependencies: [], diagnostics: [] });
    });
  });

  describe('yarn berry (v2+)', () => {
    const EXPECTED = {
      dependencies: [
        dep('@babel/code-frame', '7.22.13', 8),
        dep('is-core-module', '2.13.1', 25),
        dep('lodash', '4.17.21', 40),
        dep('resolve', '1.22.8', 47), // the patched copy (line 62) is the same package
        dep('string-width', '4.2.3', 86), // alias and plain range share one resolution
        dep('typescript', '5.4.5', 97),
      ],
      diagnostics: [
        unresolvable(
          'internal-ui: it comes from git+ssh://git@github.com/acme/internal-ui.git#commit=8f3c2b1d9e0a4f6b7c8d9e0f1a2b3c4d5e6f7a8b, not from a registry',
          18,
        ),
        unresolvable('linked-tool: it comes from link:../linked-tool, not from a registry', 34),
        unresolvable(
          'vendored-pkg: it comes from file:./vendor/vendored-pkg.tgz#./vendor/vendored-pkg.tgz, not from a registry',
          117,
        ),
      ],
    };

    it('reads resolutions, skips the workspace, resolves patches to their base', () => {
      expect(parse(fixture('npm/yarn-berry/yarn.lock'))).toStrictEqual(EXPECTED);
    });

    it('reads the same with CRLF line endings and a BOM', () => {
      const ugly = withBomAndCrlf(fixture('npm/yarn-berry/yarn.lock'));
      expect(parse(ugly)).toStrictEqual(EXPECTED);
    });

    it('reads Yarn 2 patches, and reports entries without resolution or that are not mappings', () => {
      const text = [
        '__metadata:',
        '  version: 4',
        '  cacheKey: 8',
        '',
        '"fsevents@patch:fsevents@^2.1.2#~builtin<compat/fsevents>":',
        '  version: 2.1.3',
        '  resolution: "fsevents@patch:fsevents@2.1.3#~builtin<compat/fsevents>::version=2.1.3&hash=87eb42"',
        '',
        '"no-resolution@npm:^1.0.0":',
        '  version: 1.0.0',
        '',
        '"scalar@npm:^1.0.0": just a string',
        '',
        '"tagged@npm:latest":',
        '  version: 2.0.0',
        '  resolution: "tagged@npm:next"',
        '',
      ].join('\n');
      expect(parse(text)).toStrictEqual({
        dependencies: [dep('fsevents', '2.1.3', 5)],
        diagnostics: [
          {
            severity: 'warning',
            code: 'MISSING_FIELD',
            message: 'entry "no-resolution@npm:^1.0.0" has no resolution; it was skipped',
            line: 9,
          },
          {
            severity: 'warning',
            code: 'INVALID_SYNTAX',
            message: 'entry "scalar@npm:^1.0.0" is not a mapping; it was skipped',
            line: 12,
          },
          unresolvable('tagged: "next" is not a registry version', 14),
        ],
      });
    });

    it('warns about an unknown lock file version and reads on', () => {
      const text = fixture('npm/yarn-berry/yarn.lock').replace('  version: 8\n', '  version: 12\n');
      const { dependencies, diagnostics } = parse(text);
      expect(dependencies).toStrictEqual(EXPECTED.dependencies);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'UNSUPPORTED_VERSION',
          message: 'yarn lock file version 12 is not one RepoGuard knows (4-8); it was read as version 8',
          line: 4,
        },
        ...EXPECTED.diagnostics,
      ]);
    });

    it('warns about a lock file version that is a mapping, even one with its own toString key', () => {
      const text = fixture('npm/yarn-berry/yarn.lock').replace(
        '  version: 8\n',
        '  version:\n    toString: x\n',
      );
      const { dependencies, diagnostics } = parse(text);
      // The version takes two lines: every later line is one further down.
      expect(dependencies).toStrictEqual(
        EXPECTED.dependencies.map((dependency) => ({ ...dependency, line: (dependency.line ?? 0) + 1 })),
      );
      expect(diagnostics[0]).toStrictEqual({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message:
          'yarn lock file version {"toString":"x"} is not one RepoGuard knows (4-8); it was read as version 8',
        line: 4,
      });
    });

    it('reads a truncated file up to where it breaks', () => {
      const full = fixture('npm/yarn-berry/yarn.lock');
      const cut = full.slice(
        0,
        full.indexOf('resolution: "lodash@npm:4.17') + 'resolution: "lodash@npm:4.17'.length,
      );
      expect(parse(cut)).toStrictEqual({
        dependencies: [dep('@babel/code-frame', '7.22.13', 8), dep('is-core-module', '2.13.1', 25)],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message:
              'yarn.lock is not valid YAML (line 42: Missing closing "quote); nothing from there on was read',
            line: 42,
          },
          EXPECTED.diagnostics[0],
          EXPECTED.diagnostics[1],
        ],
      });
    });
  });

  describe('unreadable content', () => {
    it('skips binary content', () => {
      expect(parse('\u0000\u0000\u0000\u0001yarn\u0000')).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'NOT_TEXT',
            message: 'yarn.lock is not a text file (binary content); it was skipped',
          },
        ],
      });
    });

    it.each([
      ['an empty file', ''],
      ['a file of blank lines', '\n\r\n   \n'],
    ])('reports %s', (_, text) => {
      expect(parse(text)).toStrictEqual({
        dependencies: [],
        diagnostics: [
          { severity: 'error', code: 'EMPTY_FILE', message: 'yarn.lock is empty; nothing was read' },
        ],
      });
    });
  });
});
