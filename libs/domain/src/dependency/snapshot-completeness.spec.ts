import type { ManifestDiagnostic } from '../manifest/manifest.types';
import {
  describeIncompleteness,
  NO_MANIFESTS,
  snapshotCompleteness,
  unreadManifests,
} from './snapshot-completeness';

const error = (code: string, line?: number): ManifestDiagnostic => ({
  severity: 'error',
  code,
  message: `${code} here`,
  ...(line !== undefined ? { line } : {}),
});

describe('snapshotCompleteness', () => {
  it('is complete when every manifest was read, warnings and notes included', () => {
    const result = snapshotCompleteness([
      { path: 'requirements.txt', diagnostics: [] },
      {
        path: 'poetry.lock',
        diagnostics: [
          { severity: 'warning', code: 'UNRESOLVABLE', message: 'no version' },
          { severity: 'info', code: 'DUPLICATE', message: 'twice' },
        ],
      },
    ]);
    expect(result).toEqual({ complete: true, diagnostics: [] });
    expect(describeIncompleteness(result)).toBe('every manifest was read');
  });

  it.each([
    ['a line it skipped as broken', 'INVALID_SYNTAX'],
    ['a line too long to read', 'LINE_TOO_LONG'],
    ['an include it could not find', 'INCLUDE_NOT_FOUND'],
  ])('is incomplete with %s, even as a warning', (_, code) => {
    const result = snapshotCompleteness([
      { path: 'requirements.txt', diagnostics: [{ severity: 'warning', code, message: 'x', line: 2 }] },
    ]);
    expect(result).toEqual({
      complete: false,
      diagnostics: [{ path: 'requirements.txt', code, message: 'x', line: 2 }],
    });
  });

  it('is incomplete with no manifest at all: nothing was checked', () => {
    const result = snapshotCompleteness([]);
    expect(result.complete).toBe(false);
    expect(result.diagnostics).toEqual([expect.objectContaining({ path: null, code: NO_MANIFESTS })]);
    expect(describeIncompleteness(result)).toMatch(/no dependency manifest/);
  });

  it("names each manifest's unread parts, with their lines, in manifest order", () => {
    const result = snapshotCompleteness([
      { path: 'web/package-lock.json', diagnostics: [error('INVALID_SYNTAX', 3)] },
      {
        path: 'requirements.txt',
        diagnostics: [{ severity: 'info', code: 'UNPINNED', message: 'x' }],
      },
      {
        path: 'Gemfile.lock',
        diagnostics: [{ severity: 'warning', code: 'INVALID_SYNTAX', message: 'cut', line: 9 }],
      },
      { path: 'api/poetry.lock', diagnostics: [error('PARSE_TIMEOUT'), error('DIAGNOSTICS_TRUNCATED')] },
    ]);
    expect(result).toEqual({
      complete: false,
      diagnostics: [
        { path: 'web/package-lock.json', code: 'INVALID_SYNTAX', message: 'INVALID_SYNTAX here', line: 3 },
        { path: 'Gemfile.lock', code: 'INVALID_SYNTAX', message: 'cut', line: 9 },
        { path: 'api/poetry.lock', code: 'PARSE_TIMEOUT', message: 'PARSE_TIMEOUT here' },
        { path: 'api/poetry.lock', code: 'DIAGNOSTICS_TRUNCATED', message: 'DIAGNOSTICS_TRUNCATED here' },
      ],
    });
    expect(describeIncompleteness(result)).toBe(
      '3 manifest(s) could not be read in full: web/package-lock.json (INVALID_SYNTAX), Gemfile.lock (INVALID_SYNTAX), api/poetry.lock (PARSE_TIMEOUT); vulnerabilities in them may be missing',
    );
  });

  it('names the first three manifests and counts the rest', () => {
    const manifests = ['a', 'b', 'c', 'd', 'e'].map((p) => ({
      path: `${p}/go.mod`,
      diagnostics: [error('INVALID_SYNTAX')],
    }));
    expect(describeIncompleteness(snapshotCompleteness(manifests))).toMatch(
      /^5 manifest\(s\) .*a\/go\.mod .*b\/go\.mod .*c\/go\.mod \(INVALID_SYNTAX\), and 2 more;/,
    );
  });
});

describe('unreadManifests', () => {
  it('names each manifest not read in full once, leaving out those read in full', () => {
    const completeness = snapshotCompleteness([
      { path: 'a/yarn.lock', diagnostics: [error('INVALID_SYNTAX', 1), error('INVALID_SYNTAX', 2)] },
      { path: 'requirements.txt', diagnostics: [{ severity: 'info', code: 'UNPINNED', message: 'x' }] },
      { path: 'Gemfile.lock', diagnostics: [error('MISSING_FIELD')] },
    ]);
    expect(unreadManifests(completeness)).toEqual({ all: false, paths: ['a/yarn.lock', 'Gemfile.lock'] });
  });

  it('is every manifest when none was found', () => {
    expect(unreadManifests(snapshotCompleteness([]))).toEqual({ all: true, paths: [] });
  });
});
