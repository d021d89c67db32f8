import type { ScanRepository, SnapshotRepository } from '@repoguard/domain';
import { createBeginRematchActivity } from './begin-rematch.activity';

// A re-match is asked for with the snapshot that was newest then; a push scan may complete before it
// runs, and matching the older snapshot again would roll the findings back to the older commit.
function activityWith(latest: { snapshotId: string; commitSha: string } | null) {
  const phases: { snapshotId?: string; commitSha?: string }[] = [];
  const scans = {
    start: async () => undefined,
    phase: async (_id: string, _phase: string, update: { snapshotId?: string; commitSha?: string }) =>
      void phases.push(update),
    latestCompletedSnapshot: async () => latest,
  } as unknown as ScanRepository;
  const snapshots = {
    commitOf: async (id: string) => (id === 'snap-old' ? 'commit-old' : null),
  } as unknown as SnapshotRepository;
  return { run: createBeginRematchActivity({ scans, snapshots }), phases };
}

const input = {
  scanId: 'scan-1',
  orgId: 'org-1',
  repoId: 'repo-1',
  snapshotId: 'snap-old',
  workflowId: 'wf',
  runId: 'run',
  requestedBy: null,
};

describe('beginRematch', () => {
  it('matches the newest snapshot when a scan completed after the re-match was asked for', async () => {
    const { run, phases } = activityWith({ snapshotId: 'snap-new', commitSha: 'commit-new' });
    await expect(run(input)).resolves.toEqual({ snapshotId: 'snap-new', commitSha: 'commit-new' });
    expect(phases).toEqual([{ snapshotId: 'snap-new', commitSha: 'commit-new' }]);
  });

  it('matches the snapshot it was given when that is still the newest', async () => {
    const { run } = activityWith({ snapshotId: 'snap-old', commitSha: 'commit-old' });
    await expect(run(input)).resolves.toEqual({ snapshotId: 'snap-old', commitSha: 'commit-old' });
  });

  it('falls back to the given snapshot when no scan completed (a stored snapshot without one)', async () => {
    const { run } = activityWith(null);
    await expect(run(input)).resolves.toEqual({ snapshotId: 'snap-old', commitSha: 'commit-old' });
  });
});
