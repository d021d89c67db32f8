import type { CurrentFinding } from '@repoguard/domain';

/** An open lodash finding of this severity (GHSA-<severity>), as a policy judges it. */
export const currentFinding = (severity: CurrentFinding['severity']): CurrentFinding => ({
  ecosystem: 'npm',
  packageName: 'lodash',
  version: '4.17.0',
  manifestPath: 'package-lock.json',
  vulnerabilityId: `GHSA-${severity}`,
  aliases: [],
  severity,
  cvssScore: null,
  fixedVersions: ['4.17.21'],
  status: 'open',
  triageExpiresAt: null,
});
