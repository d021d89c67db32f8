import { MAX_JSON_NESTING } from '../../../shared/json-nesting';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { lockedDependency } from './locked-dependency.test-helper';
import { pipfileLockParser } from './pipfile-lock.parser';

const fixture = manifestFixtures('pypi/pipfile');

const dep = lockedDependency('Pipfile.lock');

describe('pipfileLockParser', () => {
  it('identifies itself', () => {
    expect([pipfileLockParser.id, pipfileLockParser.ecosystem]).toEqual(['pipfile-lock', 'PyPI']);
  });

  describe('a realistic Pipfile.lock', () => {
    const result = pipfileLockParser.parse('Pipfile.lock', fixture('Pipfile.lock'));

    it('reads default as runtime and develop as dev, once per name and version', () => {
      expect(result.dependencies).toEqual([
        dep('certifi', '2024.7.4', 'runtime', 19),
        dep('flask', '0.12', 'runtime', 28),
        dep('idna', '3.7', 'runtime', 35),
        dep('pyyaml', '5.3', 'runtime', 46),
        dep('requests', '2.19.0', 'runtime', 53),
        dep('urllib3', '2.2.2', 'runtime', 70),
        // certifi 2024.7.4 is in develop too: already reported as runtime.
        dep('iniconfig', '2.0.0', 'dev', 85),
        dep('pytest', '8.3.2', 'dev', 91),
        dep('urllib3', '1.26.19', 'dev', 98),
        dep('black', null, 'dev', 104, ''),
      ]);
    });

    it('skips path, VCS and file entries, reports missing versions and wildcard locks', () => {
      expect(result.diagnostics).toEqual([
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'internal-reports is not scanned: editable local path ./packages/reports, no registry version to match',
          line: 42,
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'shared-auth is not scanned: VCS source https://***@github.com/acme/shared-auth.git, no registry version to match',
          line: 63,
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'legacy-wheel is not scanned: direct file https://files.example.com/legacy_wheel-0.1-py3-none-any.whl, no registry version to match',
          line: 67,
        },
        {
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: 'typing-extensions has no version',
          line: 101,
        },
        {
          severity: 'info',
          code: 'UNPINNED',
          message: 'black is locked to "*", not an exact version',
          line: 104,
        },
      ]);
      expect(JSON.stringify(result)).not.toContain('s3cr3t');
    });
  });

  it('reads CRLF with a BOM exactly like LF', () => {
    const original = fixture('Pipfile.lock');
    const windows = withBomAndCrlf(original);
    expect(pipfileLockParser.parse('Pipfile.lock', windows)).toEqual(
      pipfileLockParser.parse('Pipfile.lock', original),
    );
  });

  it('finds lines in tab-indented, reformatted JSON too', () => {
    const original = JSON.parse(fixture('Pipfile.lock')) as unknown;
    const result = pipfileLockParser.parse('Pipfile.lock', JSON.stringify(original, null, '\t'));
    expect(result.dependencies.slice(0, 2).map((d) => [d.name, d.line])).toEqual([
      ['certifi', 19],
      ['flask', 28],
    ]);
  });

  it('reports invalid JSON with the line of the error', () => {
    const result = pipfileLockParser.parse('Pipfile.lock', fixture('Pipfile-invalid.lock'));
    expect(result.dependencies).toEqual([]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['error', 'INVALID_SYNTAX', 35],
    ]);
    expect(result.diagnostics[0].message).toMatch(/^Pipfile\.lock is not valid JSON: /);
  });

  it('reports a truncated lock at its last line', () => {
    const result = pipfileLockParser.parse('Pipfile.lock', fixture('Pipfile-truncated.lock'));
    expect(result.dependencies).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['INVALID_SYNTAX', 30]]);
  });

  it.each([
    ['a bare string', '"default"'],
    ['an array', '[{"default": {}}]'],
  ])('reports a document that is %s', (_label, text) => {
    expect(pipfileLockParser.parse('Pipfile.lock', text).diagnostics.map((d) => d.code)).toEqual([
      'INVALID_SYNTAX',
    ]);
  });

  it('reports sections and entries of the wrong shape and reads the rest', () => {
    const text = [
      '{',
      '    "_meta": {"pipfile-spec": 7},',
      '    "default": {',
      '        "six": "==1.16.0",',
      '        "attrs": {"version": "==23.1.0"}',
      '    },',
      '    "develop": []',
      '}',
    ].join('\n');
    const result = pipfileLockParser.parse('Pipfile.lock', text);
    expect(result.dependencies).toEqual([dep('attrs', '23.1.0', 'runtime', 5)]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['UNSUPPORTED_VERSION', 2],
      ['INVALID_SYNTAX', 4],
      ['INVALID_SYNTAX', 7],
    ]);
  });

  it('skips a package whose name is empty or blank', () => {
    const result = pipfileLockParser.parse(
      'Pipfile.lock',
      '{\n  "default": {\n    "": {"version": "==1.0.0"},\n    " ": {"version": "==1.0.0"},\n    "six": {"version": "==1.16.0"}\n  }\n}\n',
    );
    expect(result.dependencies.map((d) => [d.name, d.version, d.line])).toEqual([['six', '1.16.0', 5]]);
    expect(result.diagnostics).toEqual([
      { severity: 'warning', code: 'MISSING_FIELD', message: 'a package in "default" has no name', line: 3 },
      { severity: 'warning', code: 'MISSING_FIELD', message: 'a package in "default" has no name', line: 4 },
    ]);
  });

  it('refuses JSON nested deeper than MAX_JSON_NESTING before parsing it', () => {
    const depth = MAX_JSON_NESTING + 1;
    const result = pipfileLockParser.parse(
      'Pipfile.lock',
      `{"default": {"a": ${'['.repeat(depth)}${']'.repeat(depth)}}}`,
    );
    expect(result).toEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: `Pipfile.lock nests deeper than ${MAX_JSON_NESTING} levels (line 1); it was not read`,
          line: 1,
        },
      ],
    });
  });

  it('returns nothing for an empty file or empty sections', () => {
    expect(pipfileLockParser.parse('Pipfile.lock', '')).toEqual({ dependencies: [], diagnostics: [] });
    expect(pipfileLockParser.parse('Pipfile.lock', '{"_meta": {}, "default": {}, "develop": {}}')).toEqual({
      dependencies: [],
      diagnostics: [],
    });
  });

  it('refuses binary content', () => {
    expect(
      pipfileLockParser.parse('Pipfile.lock', '{\u0000"default"\u0000}').diagnostics.map((d) => d.code),
    ).toEqual(['NOT_TEXT']);
  });
});
