import type { OsvAffected } from './osv-record';
import { evaluateAffected, isAffected } from './is-affected';

const pkg = (ecosystem: string, name: string) => ({ ecosystem, name });

describe('isAffected: the OSV schema examples', () => {
  // "introduced 0, fixed 1.0.0": everything before 1.0.0.
  const beforeFix: OsvAffected = {
    package: pkg('npm', 'example'),
    ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
  };
  it.each([
    ['0.0.1', true],
    ['0.9.9', true],
    ['1.0.0-rc.1', true],
    ['1.0.0', false],
    ['1.0.1', false],
  ])('introduced 0 / fixed 1.0.0 at %s → %s', (version, expected) => {
    expect(isAffected(beforeFix, 'npm', version)).toBe(expected);
  });

  // Several introduced/fixed pairs in one range: affected in [1.0.0, 1.0.2) and [1.1.0, 1.1.3).
  const twoSpans: OsvAffected = {
    package: pkg('npm', 'example'),
    ranges: [
      {
        type: 'SEMVER',
        events: [{ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '1.1.0' }, { fixed: '1.1.3' }],
      },
    ],
  };
  it.each([
    ['0.9.0', false, []],
    ['1.0.0', true, ['1.0.2']],
    ['1.0.1', true, ['1.0.2']],
    ['1.0.2', false, []],
    ['1.0.9', false, []],
    ['1.1.0', true, ['1.1.3']],
    ['1.1.2', true, ['1.1.3']],
    ['1.1.3', false, []],
  ])('two spans at %s → %s, fixed in %p', (version, affected, fixed) => {
    expect(evaluateAffected(twoSpans, 'npm', version)).toEqual({ affected, fixedVersions: fixed });
  });

  // last_affected: the named version is the last bad one, with no fix known.
  const lastAffected: OsvAffected = {
    package: pkg('PyPI', 'example'),
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4' }] }],
  };
  it.each([
    ['0.9', false],
    ['1.0', true],
    ['1.0.0', true],
    ['1.4', true],
    ['1.4.post1', false],
    ['1.4.1', false],
    ['1.4+local.7', false], // PEP 440 sorts a local version after its public one: beyond last_affected
  ])('introduced 1.0 / last_affected 1.4 at %s → %s', (version, expected) => {
    expect(isAffected(lastAffected, 'PyPI', version)).toBe(expected);
  });

  it('reports no fixed version when only last_affected is known', () => {
    expect(evaluateAffected(lastAffected, 'PyPI', '1.2')).toEqual({ affected: true, fixedVersions: [] });
  });

  it('honours limit: nothing at or above the limit is affected', () => {
    const limited: OsvAffected = {
      package: pkg('Go', 'example.com/mod'),
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { limit: '2.0.0' }] }],
    };
    expect(isAffected(limited, 'Go', 'v1.9.9')).toBe(true);
    expect(isAffected(limited, 'Go', 'v2.0.0')).toBe(false);
  });

  it('matches the explicit versions list, PEP 440-equal spellings included', () => {
    const listed: OsvAffected = { package: pkg('PyPI', 'example'), versions: ['1.0', '2.0rc1'] };
    expect(isAffected(listed, 'PyPI', '1.0')).toBe(true);
    expect(isAffected(listed, 'PyPI', '1.0.0')).toBe(true);
    expect(isAffected(listed, 'PyPI', '2.0rc1')).toBe(true);
    expect(isAffected(listed, 'PyPI', '2.0')).toBe(false);
  });

  it('ignores GIT ranges for package versions', () => {
    const git: OsvAffected = {
      package: pkg('PyPI', 'example'),
      ranges: [
        { type: 'GIT', repo: 'https://example.com/x', events: [{ introduced: '0' }, { fixed: 'abc123' }] },
      ],
    };
    expect(isAffected(git, 'PyPI', '1.0')).toBe(false);
  });

  it('evaluates events given out of order, as real records have them', () => {
    // urllib3's PYSEC-2023-192 lists the 2.x span before the 1.x one.
    const unordered: OsvAffected = {
      package: pkg('PyPI', 'urllib3'),
      ranges: [
        {
          type: 'ECOSYSTEM',
          events: [{ introduced: '2.0.0' }, { fixed: '2.0.6' }, { introduced: '0' }, { fixed: '1.26.17' }],
        },
      ],
    };
    expect(evaluateAffected(unordered, 'PyPI', '1.26.16')).toEqual({
      affected: true,
      fixedVersions: ['1.26.17'],
    });
    expect(evaluateAffected(unordered, 'PyPI', '1.26.17')).toEqual({ affected: false, fixedVersions: [] });
    expect(evaluateAffected(unordered, 'PyPI', '1.26.18')).toEqual({ affected: false, fixedVersions: [] });
    expect(evaluateAffected(unordered, 'PyPI', '2.0.0')).toEqual({
      affected: true,
      fixedVersions: ['2.0.6'],
    });
    expect(evaluateAffected(unordered, 'PyPI', '2.0.6')).toEqual({ affected: false, fixedVersions: [] });
  });

  it('treats pre-releases by the ecosystem ordering', () => {
    const range: OsvAffected = {
      package: pkg('PyPI', 'example'),
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.1' }] }],
    };
    expect(isAffected(range, 'PyPI', '2.0rc1')).toBe(false); // before the introduction
    expect(isAffected(range, 'PyPI', '2.1rc1')).toBe(true); // before the fix
    expect(isAffected(range, 'PyPI', '2.0.post1')).toBe(true);
    expect(isAffected(range, 'PyPI', '2.1.dev0')).toBe(true);
  });

  it('never matches a version the scheme cannot read against ranges', () => {
    expect(isAffected(beforeFix, 'npm', 'not-a-version')).toBe(false);
  });
});
