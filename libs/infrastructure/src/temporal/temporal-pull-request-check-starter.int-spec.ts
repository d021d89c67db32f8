import { randomUUID } from 'node:crypto';
import { PR_SCAN_WORKFLOW, prScanWorkflowId } from '@repoguard/contract';
import type { PullRequestCheckStart } from '@repoguard/domain';
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
    const check = (checkId: string, headSha: string): PullRequestCheckStart => ({
      orgId: randomUUID(),
      repoId,
      owner: 'acme',
      name: 'web',
      prNumber: 7,
      checkId,
      headSha,
      baseRef: 'main',
      baseSha: null,
      requestedBy: 'github:octocat',
      correlationId: 'delivery-1',
    });
    const handle = temporal.client.workflow.getHandle(prScanWorkflowId(repoId, 7));
    try {
      await starter.start(check('check-1', 'a'.repeat(40)));
      await starter.start(check('check-2', 'b'.repeat(40)));

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
