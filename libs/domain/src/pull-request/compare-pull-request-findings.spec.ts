import { COMPLETE } from '../dependency/snapshot-completeness';
import { DEFAULT_POLICY } from '../policy/policy';
import { comparePullRequestFindings, lowestFixAbove } from './compare-pull-request-findings';
import type { PullRequestFinding } from './pull-request-check';

const finding = (over: Partial<PullRequestFinding> = {}): PullRequestFinding => ({
  vulnerabilityId: 'GHSA-aaaa',
  aliases: ['CVE-2026-1'],
  summary: null,
  severity: 'HIGH',
  ecosystem: 'npm',
  packageName: 'lodash',
  version: '4.17.20',
  manifestPath: 'package-lock.json',
  line: 12,
  fixedIn: '4.17.21',
  direct: true,
  ...over,
});

const compare = (
  base: PullRequestFinding[],
  head: PullRequestFinding[],
  acceptances = [] as { vulnerabilityId: string; ecosystem: 'npm'; packageName: string }[],
) =>
  comparePullRequestFindings({
    base,
    head,
    acceptances,
    rules: DEFAULT_POLICY,
    headDependencies: [],
    completeness: COMPLETE,
    now: new Date('2026-12-05T00:00:00Z'),
  });

describe('comparePullRequestFindings', () => {
  it('calls a head finding the base lacks introduced, and judges it with the policy', () => {
    const verdict = compare([], [finding()]);
    expect(verdict.introduced).toEqual([finding()]);
    expect(verdict.status).toBe('FAIL');
    expect(verdict.reasons[0]).toMatch(/^FAIL: 1 finding/);
  });

  it('introduces nothing when a package moves from one vulnerable version to another', () => {
    const verdict = compare([finding({ version: '4.17.19' })], [finding({ version: '4.17.20' })]);
    expect(verdict).toMatchObject({ introduced: [], resolved: [], status: 'OK' });
  });

  it('lists what the head no longer has as resolved, and passes', () => {
    const verdict = compare([finding()], []);
    expect(verdict).toMatchObject({ introduced: [], resolved: [finding()], status: 'OK' });
  });

  it('reports an accepted risk (by id or alias) without counting it', () => {
    for (const vulnerabilityId of ['GHSA-aaaa', 'CVE-2026-1']) {
      const verdict = compare(
        [],
        [finding()],
        [{ vulnerabilityId, ecosystem: 'npm', packageName: 'lodash' }],
      );
      expect(verdict).toMatchObject({ introduced: [finding()], accepted: [finding()], status: 'OK' });
    }
    // Another package's acceptance is not this one's.
    expect(
      compare(
        [],
        [finding()],
        [{ vulnerabilityId: 'GHSA-aaaa', ecosystem: 'npm', packageName: 'underscore' }],
      ).status,
    ).toBe('FAIL');
  });

  it('is at least WARN when the head could not read a changed manifest', () => {
    const verdict = comparePullRequestFindings({
      base: [],
      head: [],
      acceptances: [],
      rules: DEFAULT_POLICY,
      headDependencies: [],
      completeness: {
        complete: false,
        diagnostics: [{ path: 'package-lock.json', code: 'INVALID_SYNTAX', message: 'x' }],
      },
      now: new Date(),
    });
    expect(verdict.status).toBe('WARN');
  });
});

describe('lowestFixAbove', () => {
  it('names the lowest fixed version above the dependency, in the ecosystem order', () => {
    expect(lowestFixAbove('npm', '4.17.20', ['5.0.0', '4.17.21', '4.10.0'])).toBe('4.17.21');
    expect(lowestFixAbove('PyPI', '2.19.0', ['2.20.0', '3.1.0'])).toBe('2.20.0');
    expect(lowestFixAbove('npm', '1.0.0', [])).toBeNull();
  });

  it('never names a fix at or below the current version: none above is no fix yet', () => {
    expect(lowestFixAbove('npm', '4.17.20', ['4.17.19', '4.0.0'])).toBeNull();
    expect(lowestFixAbove('npm', '4.17.20', ['4.17.20'])).toBeNull();
    expect(lowestFixAbove('PyPI', '3.0.0', ['2.20.0'])).toBeNull();
  });

  it('names an unorderable fixed version only when the current version does not order either', () => {
    expect(lowestFixAbove('npm', 'not-a-version', ['2.0.0', '1.0.0'])).toBe('1.0.0');
    expect(lowestFixAbove('npm', '1.0.0', ['garbage'])).toBeNull();
  });
});
