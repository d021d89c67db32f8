import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { ParsedDependency } from '../../manifest.types';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { graphOf, resultWithoutLockMetadata } from '../lock-metadata.test-helper';
import { uvLockParser } from './uv-lock.parser';

// What the parser always read; hashes and edges have their own specs below.
const parse = (path: string, text: string) => resultWithoutLockMetadata(uvLockParser.parse(path, text));

const fixture = manifestFixtures('pypi/uv');

const dep = (
  name: string,
  version: string,
  scope: ParsedDependency['scope'],
  direct: boolean,
  line: number,
): ParsedDependency => ({ ecosystem: 'PyPI', name, version, scope, direct, manifestPath: 'uv.lock', line });

describe('uvLockParser', () => {
  it('identifies itself', () => {
    expect([uvLockParser.id, uvLockParser.ecosystem]).toEqual(['uv-lock', 'PyPI']);
  });

  it('leaves the project out, marks its own dependencies direct and scopes by reachability', () => {
    const result = parse('uv.lock', fixture('uv.lock'));
    expect(result.dependencies).toEqual([
      dep('anyio', '4.4.0', 'runtime', false, 5),
      dep('certifi', '2024.7.4', 'runtime', false, 60),
      // Only pytest (a dev group) needs colorama.
      dep('colorama', '0.4.6', 'dev', false, 69),
      dep('fastapi', '0.111.0', 'runtime', true, 78),
      dep('h11', '0.14.0', 'runtime', false, 92),
      // Reached through httpx[http2], an extra the project asks for.
      dep('h2', '4.1.0', 'runtime', false, 101),
      dep('hpack', '4.0.0', 'runtime', false, 114),
      dep('httpcore', '1.0.5', 'runtime', false, 123),
      dep('httpx', '0.27.0', 'runtime', true, 136),
      dep('hyperframe', '6.0.1', 'runtime', false, 160),
      dep('idna', '3.7', 'runtime', false, 169),
      dep('iniconfig', '2.0.0', 'dev', false, 178),
      dep('packaging', '24.1', 'dev', false, 187),
      dep('pluggy', '1.5.0', 'dev', false, 196),
      dep('psycopg', '3.2.1', 'optional', true, 205),
      dep('pydantic', '2.8.2', 'runtime', false, 218),
      dep('pytest', '8.3.2', 'dev', true, 230),
      dep('sniffio', '1.3.1', 'runtime', false, 245),
      // httpx[socks] is never requested: no root reaches socksio, so it keeps the runtime default.
      dep('socksio', '1.0.0', 'runtime', false, 254),
      dep('starlette', '0.37.2', 'runtime', false, 263),
      // Needed by psycopg (optional) but also by pydantic (runtime): runtime wins.
      dep('typing-extensions', '4.12.2', 'runtime', false, 275),
      dep('tzdata', '2024.1', 'optional', false, 284),
    ]);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'acme-lint is not scanned: VCS source https://github.com/acme/acme-lint?rev=v2.0.1#3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b, no registry version to match',
        line: 52,
      },
    ]);
  });

  it('treats every workspace member as a project and follows pinned versions of a package', () => {
    const result = parse('uv.lock', fixture('uv-workspace.lock'));
    expect(result.dependencies).toEqual([
      dep('celery', '5.4.0', 'runtime', true, 24),
      dep('flask', '3.0.3', 'runtime', true, 36),
      dep('jinja2', '3.1.4', 'runtime', false, 49),
      dep('kombu', '5.3.7', 'runtime', false, 61),
      dep('markupsafe', '2.1.5', 'runtime', false, 75),
      // shared asks for numpy 1.26.4 by version; 2.0.1 is locked for another Python but no root names it.
      dep('numpy', '1.26.4', 'runtime', true, 84),
      dep('numpy', '2.0.1', 'runtime', false, 93),
      dep('pytest', '8.3.2', 'dev', true, 102),
      dep('pyyaml', '6.0.1', 'runtime', true, 111),
      dep('werkzeug', '3.0.3', 'runtime', false, 129),
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      [
        'UNRESOLVABLE',
        70,
        'local-plugin is not scanned: local path ../plugins/local_plugin-1.0.0-py3-none-any.whl, no registry version to match',
      ],
    ]);
  });

  it('reports an unknown lock version, a non-member editable and an entry without a version', () => {
    const text = [
      'version = 2',
      'requires-python = ">=3.12"',
      '',
      '[[package]]',
      'name = "app"',
      'version = "1.0.0"',
      'source = { virtual = "." }',
      'dependencies = [{ name = "sibling" }, { name = "Requests" }, { name = "odd" }]',
      '',
      '[[package]]',
      'name = "sibling"',
      'version = "0.2.0"',
      'source = { editable = "../sibling" }',
      '',
      '[[package]]',
      'name = "requests"',
      'version = "2.32.3"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
      '[[package]]',
      'name = "odd"',
      'source = { registry = "https://pypi.org/simple" }',
    ].join('\n');
    const result = parse('uv.lock', text);
    expect(result.dependencies).toEqual([dep('requests', '2.32.3', 'runtime', true, 15)]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['UNSUPPORTED_VERSION', 1],
      ['UNRESOLVABLE', 10],
      ['MISSING_FIELD', 20],
    ]);
  });

  it('reads a lock without any project as runtime, non-direct packages', () => {
    const text =
      '[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n';
    expect(parse('uv.lock', text).dependencies).toEqual([dep('six', '1.16.0', 'runtime', false, 1)]);
  });

  it('reads CRLF with a BOM like the original', () => {
    const original = fixture('uv.lock');
    expect(parse('uv.lock', withBomAndCrlf(original))).toEqual(parse('uv.lock', original));
  });

  it('reports invalid and truncated TOML with a line', () => {
    const truncated = fixture('uv.lock').slice(0, 400);
    const result = parse('uv.lock', truncated);
    expect(result.dependencies).toEqual([]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['error', 'INVALID_SYNTAX', 14],
    ]);
    expect(parse('uv.lock', 'version = 1\n[[package]\nname = "x"\n').diagnostics.map((d) => d.line)).toEqual([
      2,
    ]);
  });

  it('names a version that is not a string in its warning (TOML tables have no prototype)', () => {
    const result = parse('uv.lock', 'version = [[{}], { a = 1 }]\n');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_VERSION',
        message: 'uv.lock version [[{}],{"a":1}] is not the version 1 RepoGuard knows; read as version 1',
        line: 1,
      }),
    ]);
  });

  it('reads a lock repeating one name many times, following each package once', () => {
    const entries = Array.from(
      { length: 2_000 },
      (_, i) =>
        `[[package]]\nname = "same"\nversion = "1.0.${i}"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [{ name = "same" }]\n`,
    );
    const root =
      '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "same" }]\n';
    const result = parse('uv.lock', `version = 1\n${root}${entries.join('')}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.dependencies).toHaveLength(2_000);
    expect(new Set(result.dependencies.map((d) => `${d.scope}/${d.direct}`))).toEqual(
      new Set(['runtime/true']),
    );
  });

  it('returns nothing for an empty file and refuses binary content', () => {
    expect(parse('uv.lock', '')).toEqual({ dependencies: [], diagnostics: [] });
    expect(parse('uv.lock', 'version = 1\u0000\u0000').diagnostics.map((d) => d.code)).toEqual(['NOT_TEXT']);
  });

  describe('hashes and the dependency graph', () => {
    it('edges from `dependencies` and the extras the lock asks for, to the locked packages; no hash among several artifacts', () => {
      const { dependencies } = uvLockParser.parse('uv.lock', fixture('uv.lock'));
      expect(graphOf(dependencies)).toMatchObject({
        'fastapi@0.111.0': ['pydantic@2.8.2', 'starlette@0.37.2', 'typing-extensions@4.12.2'],
        // The project asks for httpx[http2]: h2 is httpx's; socks is asked by no one.
        'httpx@0.27.0': [
          'anyio@4.4.0',
          'certifi@2024.7.4',
          'h2@4.1.0',
          'httpcore@1.0.5',
          'idna@3.7',
          'sniffio@1.3.1',
        ],
        'pytest@8.3.2': ['colorama@0.4.6', 'iniconfig@2.0.0', 'packaging@24.1', 'pluggy@1.5.0'],
        'idna@3.7': [],
      });
      // An sdist and a wheel each: neither is the package's one hash.
      expect(dependencies.every((d) => d.hashes === undefined)).toBe(true);
    });

    it('resolves an edge with a version among several, keeps cycles, hashes a lone sdist, skips non-registry targets', () => {
      const text = [
        'version = 1',
        '[[package]]',
        'name = "app"',
        'version = "0.1.0"',
        'source = { editable = "." }',
        'dependencies = [{ name = "a" }]',
        '[[package]]',
        'name = "a"',
        'version = "1.0"',
        'source = { registry = "https://pypi.org/simple" }',
        'dependencies = [{ name = "b", version = "2.0" }, { name = "app" }, { name = "tool" }]',
        'sdist = { url = "https://x/a-1.0.tar.gz", hash = "sha256:AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434DAAF4C61DDCC5E8A2DABEDE0F" }',
        '[[package]]',
        'name = "b"',
        'version = "1.0"',
        'source = { registry = "https://pypi.org/simple" }',
        '[[package]]',
        'name = "b"',
        'version = "2.0"',
        'source = { registry = "https://pypi.org/simple" }',
        'dependencies = [{ name = "a" }]',
        'wheels = [{ url = "https://x/b.whl", hash = "sha512:00" }]',
        '[[package]]',
        'name = "tool"',
        'version = "3.0"',
        'source = { git = "https://example.com/tool" }',
      ].join('\n');
      const { dependencies } = uvLockParser.parse('uv.lock', text);
      expect(graphOf(dependencies)).toStrictEqual({
        'a@1.0': ['b@2.0'],
        'b@1.0': [],
        'b@2.0': ['a@1.0'],
      });
      expect(dependencies[0]?.hashes).toStrictEqual([
        { algorithm: 'SHA-256', content: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434daaf4c61ddcc5e8a2dabede0f' },
      ]);
      expect(dependencies[2]).not.toHaveProperty('hashes');
    });
  });
});
