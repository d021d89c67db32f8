import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { lockedDependency } from './locked-dependency.test-helper';
import { graphOf, resultWithoutLockMetadata } from '../lock-metadata.test-helper';
import { poetryLockParser } from './poetry-lock.parser';

// What the parser always read; hashes and edges have their own specs below.
const parse = (path: string, text: string) => resultWithoutLockMetadata(poetryLockParser.parse(path, text));

const fixture = manifestFixtures('pypi/poetry');
const uglyFixture = manifestFixtures('ugly');

const dep = lockedDependency('poetry.lock');

describe('poetryLockParser', () => {
  it('identifies itself', () => {
    expect([poetryLockParser.id, poetryLockParser.ecosystem]).toEqual(['poetry-lock', 'PyPI']);
  });

  it('reads Poetry 1.1 locks: category dev → dev, optional → optional, names normalised', () => {
    const result = parse('poetry.lock', fixture('poetry-1.1.lock'));
    expect(result.dependencies).toEqual([
      dep('asgiref', '3.4.1', 'runtime', 1),
      dep('django', '3.2.0', 'runtime', 12),
      dep('psycopg2-binary', '2.8.6', 'optional', 29),
      dep('pytest', '6.2.4', 'dev', 37),
      dep('pytz', '2021.1', 'runtime', 49),
      dep('sqlparse', '0.4.1', 'runtime', 57),
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('reads Poetry 2 locks: groups without "main" → dev, non-registry sources skipped, secrets hidden', () => {
    const result = parse('poetry.lock', fixture('poetry-2.lock'));
    expect(result.dependencies).toEqual([
      dep('annotated-types', '0.7.0', 'runtime', 3),
      dep('coverage', '7.6.1', 'dev', 15),
      // A `legacy` source is a private index: still a registry version.
      dep('private-sdk', '3.1.0', 'runtime', 45),
      dep('pytest', '8.3.2', 'dev', 61),
      dep('redis', '5.0.8', 'optional', 72),
      dep('urllib3', '2.2.2', 'runtime', 98),
    ]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'internal-auth is not scanned: git source https://***@gitlab.example.com/acme/internal-auth.git, no registry version to match',
        line: 29,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'shared-models is not scanned: directory source ../shared-models, no registry version to match',
        line: 84,
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('glpat');
  });

  it('reads the ugly fixture the CLI scans (CRLF, tabs, spaced headers, comments after headers)', () => {
    const result = parse('poetry.lock', uglyFixture('services/api/poetry.lock'));
    expect(result.dependencies).toEqual([
      dep('flask', '0.12', 'runtime', 2),
      dep('jinja2', '2.10', 'runtime', 16),
      dep('markupsafe', '1.1.1', 'runtime', 30),
      dep('pillow', '8.1.0', 'runtime', 38),
      dep('sqlalchemy', '1.2.18', 'optional', 46),
      dep('urllib3', '1.24.1', 'runtime', 55),
      dep('werkzeug', '0.14.1', 'runtime', 63),
      dep('cryptography', '3.2', 'dev', 74),
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('reports entries missing a name or a version and keeps the rest', () => {
    const result = parse('poetry.lock', fixture('poetry-2.0.lock'));
    expect(result.dependencies).toEqual([
      dep('certifi', '2024.7.4', 'runtime', 3),
      dep('charset-normalizer', '3.3.2', 'runtime', 13),
      dep('requests', '2.32.3', 'runtime', 21),
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['MISSING_FIELD', 36, 'broken-entry has no version'],
      ['MISSING_FIELD', 41, '[[package]] has no name'],
    ]);
  });

  it('reports invalid and truncated TOML with the line of the error', () => {
    expect(parse('poetry.lock', fixture('invalid.lock'))).toEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message:
            'poetry.lock is not valid TOML: Invalid TOML document: illegal character in numeric literal',
          line: 3,
        },
      ],
    });
    const truncated = parse('poetry.lock', fixture('truncated.lock'));
    expect(truncated.dependencies).toEqual([]);
    expect(truncated.diagnostics.map((d) => [d.code, d.line])).toEqual([['INVALID_SYNTAX', 9]]);
  });

  it('reads a CRLF lock with a BOM like the original', () => {
    const original = fixture('poetry-1.1.lock');
    const windows = withBomAndCrlf(original);
    expect(parse('poetry.lock', windows)).toEqual(parse('poetry.lock', original));
  });

  it('warns about a lock-version newer than 2.x but still reads it', () => {
    const text =
      '[[package]]\nname = "six"\nversion = "1.16.0"\noptional = false\n\n[metadata]\nlock-version = "3.0"\n';
    const result = parse('poetry.lock', text);
    expect(result.dependencies).toEqual([dep('six', '1.16.0', 'runtime', 1)]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['UNSUPPORTED_VERSION', 7]]);
  });

  it('returns nothing for an empty file or a lock with no packages', () => {
    expect(parse('poetry.lock', '')).toEqual({ dependencies: [], diagnostics: [] });
    expect(parse('poetry.lock', 'package = []\n\n[metadata]\nlock-version = "2.0"\n')).toEqual({
      dependencies: [],
      diagnostics: [],
    });
  });

  it('reports a "package" key that is not an array of tables', () => {
    const result = parse('poetry.lock', 'package = "requests"\n');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['INVALID_SYNTAX']);
  });

  it('refuses binary content', () => {
    const result = parse('poetry.lock', '\u0000\u0001[[package]]\u0000');
    expect(result).toEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'poetry.lock is not a text file (binary content); it was skipped',
        },
      ],
    });
  });

  describe('hashes and the dependency graph', () => {
    const sha256 = (content: string) => [{ algorithm: 'SHA-256', content }];

    it('lock 1.1: [package.dependencies] resolved to the locked versions, a single file in [metadata.files] hashed', () => {
      const { dependencies } = poetryLockParser.parse('poetry.lock', fixture('poetry-1.1.lock'));
      expect(graphOf(dependencies)).toMatchObject({
        'django@3.2.0': ['asgiref@3.4.1', 'pytz@2021.1', 'sqlparse@0.4.1'],
        // atomicwrites and colorama (Windows only) are not in the lock.
        'pytest@6.2.4': [],
        'asgiref@3.4.1': [],
      });
      expect(dependencies.find((d) => d.name === 'asgiref')?.hashes).toStrictEqual(
        sha256('ffc141aa908e6f175673e7b1b3b7af4fdb0ecb738fc5c8b88f69f055c2415214'),
      );
    });

    it('lock 2.x: `files` hashed only when there is one artifact', () => {
      const { dependencies } = poetryLockParser.parse('poetry.lock', fixture('poetry-2.0.lock'));
      expect(graphOf(dependencies)).toStrictEqual({
        'certifi@2024.7.4': [],
        'charset-normalizer@3.3.2': [],
        'requests@2.32.3': ['certifi@2024.7.4', 'charset-normalizer@3.3.2'],
      });
      expect(dependencies.find((d) => d.name === 'certifi')?.hashes).toStrictEqual(
        sha256('c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90'),
      );
      expect(dependencies.find((d) => d.name === 'requests')).not.toHaveProperty('hashes');
      const two = poetryLockParser.parse('poetry.lock', fixture('poetry-2.lock')).dependencies;
      // A wheel and an sdist: neither is the package's one hash.
      expect(two.find((d) => d.name === 'annotated-types')).not.toHaveProperty('hashes');
      expect(two.find((d) => d.name === 'coverage')?.hashes).toStrictEqual(
        sha256('953510dfb7b12ab69d20135a0662397f077c59b1e6379a768e97c59d852ee51d'),
      );
    });

    it('keeps cycles, normalises names, drops edges to packages the lock does not list', () => {
      const text = [
        '[[package]]',
        'name = "A_Pkg"',
        'version = "1.0"',
        'files = [{file = "a.tar.gz", hash = "md5:abc"}]',
        '[package.dependencies]',
        'b = [{version = "<2", markers = "python_version < \'3\'"}, {version = ">=2"}]',
        'missing = "*"',
        '[[package]]',
        'name = "b"',
        'version = "2.0"',
        '[package.dependencies]',
        '"a.pkg" = {version = "*", optional = true}',
      ].join('\n');
      const { dependencies } = poetryLockParser.parse('poetry.lock', text);
      expect(graphOf(dependencies)).toStrictEqual({ 'a-pkg@1.0': ['b@2.0'], 'b@2.0': ['a-pkg@1.0'] });
      expect(dependencies[0]).not.toHaveProperty('hashes');
    });
  });
});
