import { Client, Connection } from '@temporalio/client';
import { SELF_CHECK_WORKFLOW } from '@repoguard/contract';
import { MIGRATIONS } from '../../libs/infrastructure/src/persistence/migrations';
import type { selfCheckWorkflow } from '../../libs/workflows/src/self-check.workflow';
import { temporalAddress, temporalNamespace, uniqueName } from '../support/temporal-harness';
import { type RunningProcess, startApp } from '../support/processes';

describe('the worker process', () => {
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, namespace: temporalNamespace() });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('runs the self-check against PostgreSQL and stops cleanly on SIGTERM', async () => {
    const taskQueue = uniqueName('worker-process');
    const identity = `e2e-${taskQueue}`;
    const worker: RunningProcess = startApp('apps/worker/src/main.ts', {
      NODE_ENV: 'test',
      DATABASE_URL: process.env['DATABASE_URL'],
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_IDENTITY: identity,
    });
    try {
      await worker.waitForOutput(/polling/, 60_000);
      const result = await client.workflow.execute<typeof selfCheckWorkflow>(SELF_CHECK_WORKFLOW, {
        taskQueue,
        workflowId: `self-check:${taskQueue}`,
        args: [{ nonce: taskQueue, orgId: 'e2e' }],
        workflowExecutionTimeout: '30 seconds',
      });
      expect(result.nonce).toBe(taskQueue);
      expect(result.checkedBy).toBe(identity);
      expect(result.database.appliedMigrations).toBe(MIGRATIONS.length);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited(20_000)).toEqual({ code: 0, signal: null });
    expect(worker.output()).toMatch(/stopped: no task left running/);
  });

  it('refuses to start with a message naming a missing variable', async () => {
    const worker = startApp('apps/worker/src/main.ts', { NODE_ENV: 'test', TEMPORAL_ADDRESS: 'nowhere' });
    expect(await worker.exited(20_000)).toEqual({ code: 1, signal: null });
    expect(worker.output()).toMatch(/DATABASE_URL is not set/);
    expect(worker.output()).toMatch(/TEMPORAL_ADDRESS is "nowhere"/);
  });
});
