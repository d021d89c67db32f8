import { findingChanges, MAX_FINDINGS_PER_REASON, reasonsForEvent } from './finding-changes';

describe('findingChanges', () => {
  const stored = {
    severity: 'MEDIUM',
    fixedVersions: ['1.2.3', '2.0.1'],
    summary: 'XSS in templates',
  } as const;

  it('is null when the advisory says the same (fixed versions in another order too)', () => {
    expect(findingChanges(stored, { ...stored, fixedVersions: ['2.0.1', '1.2.3'] })).toBeNull();
  });

  it('names only what changed, from → to', () => {
    expect(findingChanges(stored, { ...stored, severity: 'CRITICAL' })).toEqual({
      severity: { from: 'MEDIUM', to: 'CRITICAL' },
    });
    expect(findingChanges({ ...stored, fixedVersions: [] }, { ...stored, summary: 'Stored XSS' })).toEqual({
      fixed_versions: { from: [], to: ['1.2.3', '2.0.1'] },
      summary: { from: 'XSS in templates', to: 'Stored XSS' },
    });
  });

  it('does not call filling in a summary kept for the first time a change', () => {
    expect(findingChanges({ ...stored, summary: null }, stored)).toBeNull();
    expect(findingChanges(stored, { ...stored, summary: undefined })).toBeNull();
  });
});

describe('reasonsForEvent', () => {
  it('bounds the findings each reason names', () => {
    const findings = Array.from({ length: 5000 }, (_, i) => `GHSA-${i}@npm/x@1.0.0`);
    const [reason] = reasonsForEvent([
      { rule: 'fail_on_severity', status: 'FAIL', message: '5000 findings', findings },
    ]);
    expect(reason!.findings).toHaveLength(MAX_FINDINGS_PER_REASON);
    expect(reason!.message).toBe('5000 findings');
  });
});
