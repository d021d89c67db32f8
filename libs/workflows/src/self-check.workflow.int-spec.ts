import {
  RepoGuardOrgId,
  RepoGuardStatus,
  SELF_CHECK_WORKFLOW,
  type SelfCheckResult,
} from '@repoguard/contract';
import type { Activities } from '@repoguard/activities';
import {
  createTemporalHarness,
  uniqueName,
  type TemporalHarness,
} from '../../../test/support/temporal-harness';
import type { selfCheckWorkflow } from './self-check.workflow';

describe('selfCheckWorkflow on the Temporal server', () => {
  let temporal: TemporalHarness;

  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  it('runs the probe activity, returns its result and records search attributes', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'self-check');
    const orgId = `org-${taskQueue}`;
    const activities: Pick<Activities, 'probeDatabase'> = {
      probeDatabase: async () => ({
        database: { serverTime: '2026-01-01T00:00:00.000Z', appliedMigrations: 7 },
        checkedBy: 'stub',
      }),
    };
    const worker = await temporal.createWorker({ taskQueue, activities });

    const handle = await temporal.client.workflow.start<typeof selfCheckWorkflow>(SELF_CHECK_WORKFLOW, {
      taskQueue,
      workflowId: `self-check:${taskQueue}`,
      args: [{ nonce: taskQueue, orgId }],
      typedSearchAttributes: [{ key: RepoGuardOrgId, value: orgId }],
    });
    const result: SelfCheckResult = await worker.runUntil(handle.result());

    expect(result).toEqual({
      nonce: taskQueue,
      database: { serverTime: '2026-01-01T00:00:00.000Z', appliedMigrations: 7 },
      checkedBy: 'stub',
    });
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(RepoGuardOrgId)).toBe(orgId);
    expect(description.typedSearchAttributes.get(RepoGuardStatus)).toBe('COMPLETED');
  });

  it('retries a failing activity and still completes', async () => {
    const taskQueue = uniqueName(expect.getState().currentTestName ?? 'self-check-retry');
    let attempts = 0;
    const activities: Pick<Activities, 'probeDatabase'> = {
      probeDatabase: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('database connection lost');
        return {
          database: { serverTime: '2026-01-01T00:00:00.000Z', appliedMigrations: 1 },
          checkedBy: 'stub',
        };
      },
    };
    const worker = await temporal.createWorker({ taskQueue, activities });

    const result = await worker.runUntil(
      temporal.client.workflow.execute<typeof selfCheckWorkflow>(SELF_CHECK_WORKFLOW, {
        taskQueue,
        workflowId: `self-check:${taskQueue}`,
        args: [{ nonce: 'n', orgId: 'o' }],
      }),
    );

    expect(attempts).toBe(3);
    expect(result.database.appliedMigrations).toBe(1);
  });
});
