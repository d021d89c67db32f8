// The repo-scan workflow's steps as stubs that always succeed: workflow tests and history scenarios
// override the steps their branch needs.
import type { Activities } from '@repoguard/activities';

export type ScanActivities = Pick<
  Activities,
  | 'fetchManifest'
  | 'parse'
  | 'osvQuery'
  | 'persist'
  | 'evaluatePolicy'
  | 'recordScanFailure'
  | 'beginRematch'
  | 'closeScan'
>;

export const scanHappyPath: ScanActivities = {
  fetchManifest: async (input) => ({
    commitSha: input.commitSha ?? 'head-of-main',
    ref: input.ref ?? 'refs/heads/main',
    manifests: [{ path: 'package-lock.json', blobSha: 'blob-1', size: 120 }],
  }),
  parse: async (input) => ({ snapshotId: `snapshot-of-${input.commitSha}`, dependencies: 12, reused: false }),
  osvQuery: async () => ({ queried: 12, vulnerabilities: 3, fetched: 3 }),
  persist: async () => ({ open: 2, opened: 2, fixed: 1 }),
  evaluatePolicy: async () => ({ status: 'WARN', policyVersion: null, reasons: 1 }),
  recordScanFailure: async () => undefined,
  beginRematch: async (input) => ({ commitSha: 'commit-of-stored-snapshot', snapshotId: input.snapshotId }),
  closeScan: async () => undefined,
};
