import { randomUUID } from 'node:crypto';
import { PR_SCAN_WORKFLOW, prScanWorkflowId } from '@repoguard/contract';
import type { PullRequestCheckRecord, PullRequestCheckTarget } from '@repoguard/domain';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';
import { TemporalPullRequestCheckStarter } from './temporal-pull-request-check-starter';

// The pull request's workflow is started with the check as its first signal, and signalled for each
// later one: one run per pull request. No worker polls the queue here; what counts is what Temporal holds.
describe('TemporalPullRequestCheckStarter', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => temporal?.close());

  it('starts pr-scan:<repo>:<number> with the check signalled, and signals the same run for the next', async () => {
    const taskQueue = uniqueName('pr-check-starter');
    const starter = new TemporalPullRequestCheckStarter(temporal.client, taskQueue);
    const repoId = randomUUID();
    const orgId = randomUUID();
    const target: PullRequestCheckTarget = {
      orgId,
      repoId,
      owner: 'acme',
      name: 'web',
      defaultBranch: 'main',
    };
    const check = (id: string, headSha: string): PullRequestCheckRecord => ({
      id,
      orgId,
      repoId,
      prNumber: 7,
      headSha,
      baseRef: 'main',
      baseSha: null,
      state: 'queued',
      conclusion: null,
      delivery: null,
      checkRunId: null,
      comparison: null,
      errorCode: null,
      requestedBy: 'github:octocat',
      requestedAt: new Date(),
      headAt: new Date(),
      createdAt: new Date(),
      completedAt: null,
    });
    const handle = temporal.client.workflow.getHandle(prScanWorkflowId(repoId, 7));
    try {
      await starter.start(target, check('check-1', 'a'.repeat(40)));
      await starter.start(target, check('check-2', 'b'.repeat(40)));

      const described = await handle.describe();
      expect(described).toMatchObject({ type: PR_SCAN_WORKFLOW, taskQueue, status: { name: 'RUNNING' } });
      const history = await handle.fetchHistory();
      const starts = history.events!.filter((e) => e.workflowExecutionStartedEventAttributes);
      const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes);
      expect(starts).toHaveLength(1);
      expect(signals.map((e) => e.workflowExecutionSignaledEventAttributes!.signalName)).toEqual([
        'pullRequestCheckRequested',
        'pullRequestCheckRequested',
      ]);
    } finally {
      await handle.terminate('test done').catch(() => undefined);
    }
  });
});
