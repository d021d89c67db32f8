import * as os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SELF_CHECK_WORKFLOW } from '@repoguard/contract';
import { MIGRATIONS } from '../../libs/infrastructure/src/persistence/migrations';
import type { selfCheckWorkflow } from '../../libs/workflows/src/self-check.workflow';
import { temporalAddress, temporalNamespace, uniqueName } from '../support/temporal-harness';
import { type RunningProcess, startApp } from '../support/processes';

/** The worker app on the test's Temporal and database, polling `taskQueue` as `identity`. */
function startWorker(taskQueue: string, identity: string, env: Record<string, string> = {}): RunningProcess {
  return startApp('apps/worker/src/main.ts', {
    NODE_ENV: 'test',
    DATABASE_URL: process.env['DATABASE_URL'],
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: temporalNamespace(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_IDENTITY: identity,
    ...env,
  });
}

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
    const worker = startWorker(taskQueue, identity);
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

  it('polls only the re-match queue with WORKER_QUEUES=rematch, at the WORKER_NICE it is given', async () => {
    const taskQueue = uniqueName('worker-rematch-only');
    const rematchTaskQueue = `${taskQueue}-rematch`;
    const identity = `e2e-${taskQueue}`;
    const worker = startWorker(taskQueue, identity, {
      WORKER_METRICS_PORT: '0',
      WORKER_QUEUES: 'rematch',
      WORKER_NICE: '5',
    });
    const pollers = async (name: string, taskQueueType: temporal.api.enums.v1.TaskQueueType) =>
      (
        await client.workflowService.describeTaskQueue({
          namespace: temporalNamespace(),
          taskQueue: { name },
          taskQueueType,
        })
      ).pollers?.map((poller) => poller.identity) ?? [];
    const { TASK_QUEUE_TYPE_ACTIVITY, TASK_QUEUE_TYPE_WORKFLOW } = temporal.api.enums.v1.TaskQueueType;
    try {
      await worker.waitForOutput(/polling .*re-match steps/, 60_000);
      expect(os.getPriority(worker.child.pid!)).toBe(5);
      // A poll is long-lived: once the worker has asked for a task, the server lists it as a poller.
      for (
        let i = 0;
        i < 100 && !(await pollers(rematchTaskQueue, TASK_QUEUE_TYPE_ACTIVITY)).includes(identity);
        i++
      )
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await pollers(rematchTaskQueue, TASK_QUEUE_TYPE_ACTIVITY)).toContain(identity);
      expect(await pollers(taskQueue, TASK_QUEUE_TYPE_WORKFLOW)).not.toContain(identity);
      expect(await pollers(taskQueue, TASK_QUEUE_TYPE_ACTIVITY)).not.toContain(identity);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited(20_000)).toEqual({ code: 0, signal: null });
  });

  it('refuses to start with a message naming a missing variable', async () => {
    const worker = startApp('apps/worker/src/main.ts', { NODE_ENV: 'test', TEMPORAL_ADDRESS: 'nowhere' });
    expect(await worker.exited(20_000)).toEqual({ code: 1, signal: null });
    expect(worker.output()).toMatch(/DATABASE_URL is not set/);
    expect(worker.output()).toMatch(/TEMPORAL_ADDRESS is "nowhere"/);
  });
});
