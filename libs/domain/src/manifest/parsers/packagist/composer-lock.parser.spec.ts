import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { MAX_JSON_NESTING } from '../../../shared/json-nesting';
import type { DependencyScope, ParsedDependency } from '../../manifest.types';
import { graphOf, resultWithoutLockMetadata } from '../lock-metadata.test-helper';
import { composerLockParser } from './composer-lock.parser';

const fixture = manifestFixtures('packagist');

// What the parser always read; shasums, licences and edges have their own spec below.
const parse = (path: string, text: string) => resultWithoutLockMetadata(composerLockParser.parse(path, text));

const pkg = (name: string, version: string, line: number, scope: DependencyScope = 'runtime') =>
  ({
    ecosystem: 'Packagist',
    name,
    version,
    scope,
    direct: false,
    manifestPath: 'composer.lock',
    line,
  }) satisfies ParsedDependency;

describe('composerLockParser', () => {
  it('emits packages as runtime and packages-dev as dev, without a leading v, lowercased', () => {
    const { dependencies, diagnostics } = parse('composer.lock', fixture('composer.lock'));
    expect(dependencies).toStrictEqual([
      pkg('guzzlehttp/guzzle', '7.4.1', 39),
      pkg('laravel/framework', '8.83.0', 68),
      pkg('monolog/monolog', '2.3.5', 79),
      pkg('symfony/console', '5.4.1', 84),
      pkg('mockery/mockery', '1.4.4', 91, 'dev'),
      pkg('phpunit/phpunit', '9.5.10', 96, 'dev'),
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'acme/billing-client is locked to the branch dev-main at commit 4f2c1b7e9d0a3c5b8e6f1a2d4c7b9e0f3a5d8c1b; it has no registry version to check',
        line: 10,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'acme/shared-kernel 1.0.0 comes from the local path packages/shared-kernel; it has no registry version to check',
        line: 29,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'spatie/laravel-ignition is locked to the branch 2.x-dev at commit d53075177ee200c78c5a8fee9b1ab3fd4d9c4b4c; it has no registry version to check',
        line: 101,
      },
    ]);
  });

  it('reads a CRLF Composer 1 lock with a BOM, tabs, escaped slashes and "packages-dev": null', () => {
    const text = fixture('crlf-bom-tabs.composer.lock');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n\t\t\t"name": "symfony\\/yaml"');
    expect(parse('composer.lock', text)).toStrictEqual({
      dependencies: [pkg('symfony/yaml', '2.8.52', 8), pkg('twig/twig', '1.44.2', 13)],
      diagnostics: [],
    });
  });

  it('reports a truncated lock at its last line and invalid JSON at the offending line', () => {
    expect(parse('composer.lock', fixture('truncated.composer.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        { severity: 'error', code: 'INVALID_SYNTAX', message: 'composer.lock is not valid JSON', line: 19 },
      ],
    });
    expect(parse('composer.lock', fixture('invalid.composer.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        { severity: 'error', code: 'INVALID_SYNTAX', message: 'composer.lock is not valid JSON', line: 6 },
      ],
    });
    expect(parse('composer.lock', '{"packages": [')).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: 'composer.lock ends before its JSON does (truncated?)',
          line: 1,
        },
      ],
    });
  });

  it('skips entries without a name or version and keeps the rest', () => {
    expect(parse('composer.lock', fixture('incomplete.composer.lock'))).toStrictEqual({
      dependencies: [pkg('nesbot/carbon', '2.57.0', 12)],
      diagnostics: [
        {
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: 'packages[0] has no version (psr/log); it was skipped',
          line: 4,
        },
        { severity: 'warning', code: 'MISSING_FIELD', message: 'packages[1] has no name; it was skipped' },
        { severity: 'warning', code: 'MISSING_FIELD', message: 'packages[2] has no name; it was skipped' },
      ],
    });
  });

  it('reports JSON that is not a lock', () => {
    expect(parse('composer.lock', '[]').diagnostics).toStrictEqual([
      { severity: 'error', code: 'INVALID_SYNTAX', message: 'composer.lock is not a JSON object' },
    ]);
    expect(parse('composer.lock', '{"require": {"php": ">=8.1"}}').diagnostics).toStrictEqual([
      { severity: 'error', code: 'MISSING_FIELD', message: 'composer.lock has no "packages" list' },
    ]);
  });

  it.each([
    [
      'closed',
      (depth: number) =>
        `{"packages": [{"name": "a/b", "version": "1.0.0", "x": ${'['.repeat(depth)}${']'.repeat(depth)}}]}`,
    ],
    ['never closed', (depth: number) => `{"packages": ${'['.repeat(depth)}`],
  ])(
    'refuses arrays nested past MAX_JSON_NESTING (%s) before parsing, and reads them up to it (a package and two collections hold the arrays)',
    (_, nest) => {
      expect(parse('composer.lock', `\n${nest(MAX_JSON_NESTING + 1)}`)).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: `composer.lock nests deeper than ${MAX_JSON_NESTING} levels (line 2); it was not read`,
            line: 2,
          },
        ],
      });
      const withinLimit = parse('composer.lock', nest(MAX_JSON_NESTING - 3));
      expect(withinLimit.diagnostics.map((d) => d.message)).not.toContainEqual(
        expect.stringContaining('nests deeper'),
      );
    },
  );

  it('reports an empty file', () => {
    expect(parse('composer.lock', fixture('empty.composer.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX', message: 'composer.lock is empty' }],
    });
  });

  it('refuses binary content', () => {
    expect(parse('composer.lock', fixture('binary.composer.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'composer.lock is not a text file (binary content); it was skipped',
        },
      ],
    });
  });

  it('reads dist.shasum as SHA-1, the license array, and `require` edges to locked packages', () => {
    const lock = {
      packages: [
        {
          name: 'monolog/monolog',
          version: '2.3.5',
          dist: {
            type: 'zip',
            url: 'https://x/monolog.zip',
            shasum: 'AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D',
          },
          require: { php: '>=7.2', 'psr/log': '^1.0.1 || ^2.0 || ^3.0', 'ext-json': '*' },
          license: ['MIT'],
        },
        {
          name: 'psr/log',
          version: '1.1.4',
          dist: { type: 'zip', shasum: '' },
          require: { 'Monolog/Monolog': '*' },
          license: ['MIT', 'Apache-2.0'],
        },
      ],
      'packages-dev': [{ name: 'phpunit/phpunit', version: '9.5.10', require: { 'psr/log': '*' } }],
    };
    const { dependencies } = composerLockParser.parse('composer.lock', JSON.stringify(lock));
    expect(graphOf(dependencies)).toStrictEqual({
      'monolog/monolog@2.3.5': ['psr/log@1.1.4'],
      'psr/log@1.1.4': ['monolog/monolog@2.3.5'],
      'phpunit/phpunit@9.5.10': ['psr/log@1.1.4'],
    });
    expect(dependencies[0]?.hashes).toStrictEqual([
      { algorithm: 'SHA-1', content: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' },
    ]);
    expect(dependencies[1]).not.toHaveProperty('hashes');
    expect(dependencies[1]?.licenses).toStrictEqual(['Apache-2.0', 'MIT']);
  });
});
