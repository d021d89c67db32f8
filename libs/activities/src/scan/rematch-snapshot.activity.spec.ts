import { MockActivityEnvironment } from '@temporalio/testing';
import { CancelledFailure } from '@temporalio/common';
import { createRematchSnapshotActivity, type RematchSnapshotSteps } from './rematch-snapshot.activity';
import type { RematchSnapshotInput } from './scan-activity.types';

const input: RematchSnapshotInput = {
  scanId: 'scan-rematch',
  orgId: 'org-1',
  repoId: 'repo-1',
  correlationId: 'advisory-sync@1',
  snapshotId: 'snapshot-asked',
  workflowId: 'repo-scan:repo-1',
  runId: 'run-1',
  requestedBy: 'system:advisories',
};

/** Steps that record their calls; each may be replaced. */
function steps(overrides: Partial<RematchSnapshotSteps> = {}) {
  const calls: [string, unknown][] = [];
  const record =
    <I, R>(name: string, answer: (i: I) => Promise<R>) =>
    async (i: I) => {
      calls.push([name, i]);
      return answer(i);
    };
  const all: RematchSnapshotSteps = {
    // A push scan completed since the re-match was asked: the newest snapshot is matched.
    beginRematch: record('beginRematch', async () => ({
      commitSha: 'c-newest',
      snapshotId: 'snapshot-newest',
    })),
    osvQuery: record('osvQuery', async () => ({ queried: 10, vulnerabilities: 3, fetched: 1 })),
    persist: record('persist', async () => ({ open: 4, opened: 1, fixed: 2 })),
    evaluatePolicy: record('evaluatePolicy', async () => ({
      status: 'FAIL' as const,
      policyVersion: 2,
      reasons: 1,
    })),
  };
  for (const [name, step] of Object.entries(overrides))
    (all as unknown as Record<string, unknown>)[name] = record(
      name,
      step as (i: unknown) => Promise<unknown>,
    );
  return { rematchSnapshot: createRematchSnapshotActivity(all), calls };
}

describe('rematchSnapshot', () => {
  it('opens, matches, persists and judges the snapshot beginRematch names (the newest), in that order', async () => {
    const { rematchSnapshot, calls } = steps();
    const result = await new MockActivityEnvironment().run(rematchSnapshot, {
      ...input,
      freshAdvisories: true,
    });
    const ref = {
      scanId: 'scan-rematch',
      orgId: 'org-1',
      repoId: 'repo-1',
      correlationId: 'advisory-sync@1',
    };
    expect(calls).toEqual([
      [
        'beginRematch',
        {
          ...ref,
          snapshotId: 'snapshot-asked',
          workflowId: 'repo-scan:repo-1',
          runId: 'run-1',
          requestedBy: 'system:advisories',
        },
      ],
      ['osvQuery', { ...ref, snapshotId: 'snapshot-newest', freshAdvisories: true }],
      ['persist', { ...ref, snapshotId: 'snapshot-newest' }],
      ['evaluatePolicy', { ...ref, snapshotId: 'snapshot-newest' }],
    ]);
    expect(result).toEqual({
      commitSha: 'c-newest',
      snapshotId: 'snapshot-newest',
      vulnerabilities: 3,
      open: 4,
      fixed: 2,
      status: 'FAIL',
    });
  });

  it('matches with the cached advisories unless asked for fresh ones', async () => {
    const { rematchSnapshot, calls } = steps();
    await new MockActivityEnvironment().run(rematchSnapshot, input);
    expect(calls.find(([name]) => name === 'osvQuery')?.[1]).not.toHaveProperty('freshAdvisories');
  });

  it('ends SUPERSEDED without a verdict when persist finds a newer scan persisted first', async () => {
    const { rematchSnapshot, calls } = steps({
      persist: async () => ({ open: 0, opened: 0, fixed: 0, supersededBy: 'scan-push' }),
    });
    const result = await new MockActivityEnvironment().run(rematchSnapshot, input);
    expect(result).toEqual({ commitSha: 'c-newest', snapshotId: 'snapshot-newest', superseded: true });
    expect(calls.map(([name]) => name)).toEqual(['beginRematch', 'osvQuery', 'persist']);
  });

  it('ends SUPERSEDED when the verdict finds a newer scan completed first', async () => {
    const { rematchSnapshot } = steps({
      evaluatePolicy: async () => ({ status: null, supersededBy: 'scan-push' }),
    });
    const result = await new MockActivityEnvironment().run(rematchSnapshot, input);
    expect(result).toEqual({ commitSha: 'c-newest', snapshotId: 'snapshot-newest', superseded: true });
  });

  it('cancelled while matching (a push to the repository came), writes no findings and no verdict', async () => {
    const env = new MockActivityEnvironment();
    const { rematchSnapshot, calls } = steps({
      // A step that does not look at the signal itself and returns: the next one must not start.
      osvQuery: async () => {
        env.cancel();
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { queried: 1, vulnerabilities: 1, fetched: 0 };
      },
    });
    await expect(env.run(rematchSnapshot, input)).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls.map(([name]) => name)).toEqual(['beginRematch', 'osvQuery']);
  });

  it('fails as its step failed, without running the steps after it', async () => {
    const { rematchSnapshot, calls } = steps({
      osvQuery: async () => {
        throw new Error('advisory database unavailable');
      },
    });
    await expect(new MockActivityEnvironment().run(rematchSnapshot, input)).rejects.toThrow(
      'advisory database unavailable',
    );
    expect(calls.map(([name]) => name)).toEqual(['beginRematch', 'osvQuery']);
  });
});
