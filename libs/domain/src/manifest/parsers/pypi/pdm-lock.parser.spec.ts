import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { withBomAndCrlf } from '../ugly-input.test-helper';
import { lockedDependency } from './locked-dependency.test-helper';
import { pdmLockParser } from './pdm-lock.parser';

const fixture = manifestFixtures('pypi/pdm');

const dep = lockedDependency('pdm.lock');

describe('pdmLockParser', () => {
  it('identifies itself', () => {
    expect([pdmLockParser.id, pdmLockParser.ecosystem]).toEqual(['pdm-lock', 'PyPI']);
  });

  describe('a PDM 2.x lock (lock_version 4.5)', () => {
    const result = pdmLockParser.parse('pdm.lock', fixture('pdm.lock'));

    it('scopes by groups: any "default" → runtime, only other groups → dev; merges extras repeats', () => {
      expect(result.dependencies).toEqual([
        dep('certifi', '2024.7.4', 'runtime', 23),
        dep('jinja2', '2.10', 'dev', 34),
        dep('markupsafe', '2.1.5', 'runtime', 55),
        dep('pysocks', '1.7.1', 'dev', 65),
        dep('pytest', '8.3.2', 'dev', 75),
        // Locked once for dev and again as requests[socks] for default: one runtime entry.
        dep('requests', '2.32.3', 'runtime', 90),
        dep('urllib3', '1.24.1', 'runtime', 119),
      ]);
    });

    it('skips VCS, local path and URL packages with the reason and no credentials', () => {
      expect(result.diagnostics).toEqual([
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'acme-internal is not scanned: VCS source https://***@github.com/acme/acme-internal.git, no registry version to match',
          line: 13,
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'local-lib is not scanned: editable local path ./libs/local-lib, no registry version to match',
          line: 46,
        },
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message:
            'vendored-wheel is not scanned: direct URL https://files.example.com/vendored_wheel-3.0.0-py3-none-any.whl, no registry version to match',
          line: 128,
        },
      ]);
      expect(JSON.stringify(result)).not.toContain('gho_T0k3n');
    });
  });

  it('reads older locks without per-package groups as runtime and reports a missing version', () => {
    const result = pdmLockParser.parse('pdm.lock', fixture('pdm-legacy.lock'));
    expect(result.dependencies).toEqual([
      dep('click', '8.1.3', 'runtime', 3),
      dep('flask', '0.12', 'runtime', 9),
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['MISSING_FIELD', 17, 'broken has no version'],
    ]);
  });

  it('warns about a lock_version newer than 4.x but still reads it', () => {
    const text =
      '[metadata]\nlock_version = "5.0.0"\n\n[[package]]\nname = "six"\nversion = "1.16.0"\ngroups = ["default"]\n';
    const result = pdmLockParser.parse('pdm.lock', text);
    expect(result.dependencies).toEqual([dep('six', '1.16.0', 'runtime', 4)]);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([['UNSUPPORTED_VERSION', 2]]);
  });

  it('reads CRLF with a BOM like the original', () => {
    const original = fixture('pdm.lock');
    expect(pdmLockParser.parse('pdm.lock', withBomAndCrlf(original))).toEqual(
      pdmLockParser.parse('pdm.lock', original),
    );
  });

  it('reports invalid and truncated TOML with the line of the error', () => {
    const truncated = pdmLockParser.parse(
      'pdm.lock',
      fixture('pdm.lock').split('\n').slice(0, 30).join('\n'),
    );
    expect(truncated.dependencies).toEqual([]);
    // Cut inside `files = [`: the error is the array left open on line 29.
    expect(truncated.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['error', 'INVALID_SYNTAX', 29],
    ]);
    const invalid = pdmLockParser.parse(
      'pdm.lock',
      '[[package]]\nname = "six"\nversion = "1.16.0\ngroups = ["default"]\n',
    );
    expect(invalid.diagnostics.map((d) => [d.code, d.line])).toEqual([['INVALID_SYNTAX', 3]]);
  });

  it('returns nothing for an empty file and refuses binary content', () => {
    expect(pdmLockParser.parse('pdm.lock', '')).toEqual({ dependencies: [], diagnostics: [] });
    expect(pdmLockParser.parse('pdm.lock', '\u0000\u0000\u0000').diagnostics.map((d) => d.code)).toEqual([
      'NOT_TEXT',
    ]);
  });
});
