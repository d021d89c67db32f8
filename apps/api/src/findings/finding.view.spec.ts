import type { AdvisoryDiagnostic, ListedFinding } from '@repoguard/domain';
import { NO_ADVISORY_DIAGNOSTICS } from '@repoguard/domain';
import { findingView } from './finding.view';

const listed = (advisoryDiagnostics: ListedFinding['advisoryDiagnostics']): ListedFinding => ({
  id: 'f1',
  repoId: 'r1',
  status: 'open',
  severity: 'HIGH',
  cvssScore: null,
  vulnerabilityId: 'GHSA-1',
  aliases: [],
  summary: null,
  references: [],
  ecosystem: 'npm',
  packageName: 'lodash',
  version: '4.17.20',
  manifestPath: 'package-lock.json',
  purl: null,
  direct: true,
  line: 3,
  fixedVersions: [],
  advisoryDiagnostics,
  triageStatus: null,
  triageReason: null,
  triageExpiresAt: null,
  triagedByType: null,
  triagedById: null,
  triagedAt: null,
  analysis: null,
  firstSeen: new Date('2026-01-01T00:00:00Z'),
  lastSeen: new Date('2026-01-01T00:00:00Z'),
  fixedAt: null,
});

const diagnostic: AdvisoryDiagnostic = {
  advisoryId: 'GHSA-1',
  ecosystem: 'npm',
  package: 'lodash',
  rangeType: 'SEMVER',
  code: 'UNPARSABLE_RANGE_EVENT',
  event: 'fixed',
  value: 'x',
  rule: 'RANGE_LEFT_OPEN',
  readAs: [],
};

// The shape FindingAdvisoryDiagnosticsDto documents: counts in full, a sample, and whether it is all.
describe('a finding as the API shows its advisory diagnostics', () => {
  it('says when the sample shows fewer than the advisory holds', () => {
    const view = findingView(
      listed({ total: 100_000, advisories: 1, byRule: { RANGE_LEFT_OPEN: 100_000 }, sample: [diagnostic] }),
    );
    expect(view.advisory_diagnostics).toEqual({
      total: 100_000,
      advisories: 1,
      by_rule: { RANGE_LEFT_OPEN: 100_000 },
      sample: [
        {
          advisory_id: 'GHSA-1',
          code: 'UNPARSABLE_RANGE_EVENT',
          range_type: 'SEMVER',
          event: 'fixed',
          value: 'x',
          rule: 'RANGE_LEFT_OPEN',
          read_as: [],
        },
      ],
      truncated: true,
    });
  });

  it('shows an advisory read as written as nothing to report', () => {
    expect(findingView(listed(NO_ADVISORY_DIAGNOSTICS)).advisory_diagnostics).toEqual({
      total: 0,
      advisories: 0,
      by_rule: {},
      sample: [],
      truncated: false,
    });
  });
});
