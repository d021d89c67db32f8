import { judgedFindingsKey, type JudgedFinding } from './current-finding';

const finding = (packageName: string, changes: Partial<JudgedFinding> = {}): JudgedFinding => ({
  ecosystem: 'npm',
  packageName,
  version: '1.0.0',
  manifestPath: 'package-lock.json',
  vulnerabilityId: 'GHSA-1',
  status: 'open',
  triageExpiresAt: null,
  ...changes,
});

describe('judgedFindingsKey', () => {
  it('is the same for the same findings in any order', () => {
    expect(judgedFindingsKey([finding('a'), finding('b')])).toBe(
      judgedFindingsKey([finding('b'), finding('a')]),
    );
  });

  it('differs when a finding is triaged, its ignore moves, or a finding comes or goes', () => {
    const judged = judgedFindingsKey([finding('a'), finding('b')]);
    const until = new Date('2026-07-01T00:00:00.000Z');
    expect(judgedFindingsKey([finding('a', { status: 'ignored' }), finding('b')])).not.toBe(judged);
    expect(
      judgedFindingsKey([finding('a', { status: 'ignored', triageExpiresAt: until }), finding('b')]),
    ).not.toBe(judgedFindingsKey([finding('a', { status: 'ignored' }), finding('b')]));
    expect(judgedFindingsKey([finding('a')])).not.toBe(judged);
    expect(judgedFindingsKey([finding('a'), finding('b'), finding('c')])).not.toBe(judged);
  });
});
