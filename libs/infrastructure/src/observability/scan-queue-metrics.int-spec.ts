// The backlog gauges against the real dev server: tasks that no worker takes show up, by queue and
// type, with an age. Workflows are started on a queue nobody polls (workflow tasks wait there), and
// self-checks run by a workflow-only worker on a second queue (their probe activities wait there).
import { SELF_CHECK_WORKFLOW, type SelfCheckInput } from '@repoguard/contract';
import { Registry } from 'prom-client';
import {
  createTemporalHarness,
  temporalNamespace,
  uniqueName,
  type TemporalHarness,
} from '../../../../test/support/temporal-harness';
import { registerScanQueueMetrics } from './scan-queue-metrics';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sample of a gauge with exactly these labels, if the registry has one. */
async function sample(registry: Registry, name: string, labels: Record<string, string>) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).find((value) => JSON.stringify(value.labels) === JSON.stringify(labels))
    ?.value;
}

describe('the task queue backlog gauges', () => {
  let temporal: TemporalHarness;
  beforeAll(async () => {
    temporal = await createTemporalHarness();
  });
  afterAll(async () => {
    await temporal.close();
  });

  it('report the waiting workflow tasks and activity tasks of queues with no worker for them', async () => {
    const name = uniqueName('backlog gauges');
    const scanQueue = `${name}-scans`;
    const rematchQueue = `${name}-rematch`;
    const registry = new Registry();
    registerScanQueueMetrics(registry, {
      connection: temporal.client.connection,
      namespace: temporalNamespace(),
      taskQueue: scanQueue,
      rematchTaskQueue: rematchQueue,
      warn: (message) => {
        throw new Error(message);
      },
    });

    const start = (taskQueue: string, i: number) =>
      temporal.client.workflow.start(SELF_CHECK_WORKFLOW, {
        taskQueue,
        workflowId: `${name}-${taskQueue}-${i}`,
        args: [{ nonce: String(i), orgId: name } satisfies SelfCheckInput],
      });
    // Nobody polls the scan queue: three workflow tasks wait there.
    const waiting = await Promise.all([0, 1, 2].map((i) => start(scanQueue, i)));
    // A worker without activities runs the workflows on the re-match queue: their two probe
    // activities wait there.
    const worker = await temporal.createWorker({ taskQueue: rematchQueue });
    const running = worker.runUntil(async () => {
      const probing = await Promise.all([0, 1].map((i) => start(rematchQueue, i)));
      let backlog: Record<string, number | undefined> = {};
      // The server's counts are approximate and refreshed in the background: read until they show.
      for (let attempt = 0; attempt < 60; attempt++) {
        backlog = {
          scanWorkflow: await sample(registry, 'repoguard_task_queue_backlog', {
            task_queue: scanQueue,
            task_type: 'workflow',
          }),
          scanActivity: await sample(registry, 'repoguard_task_queue_backlog', {
            task_queue: scanQueue,
            task_type: 'activity',
          }),
          rematchActivity: await sample(registry, 'repoguard_task_queue_backlog', {
            task_queue: rematchQueue,
            task_type: 'activity',
          }),
          rematchActivityAge: await sample(registry, 'repoguard_task_queue_backlog_age_seconds', {
            task_queue: rematchQueue,
            task_type: 'activity',
          }),
          legacy: await sample(registry, 'repoguard_scan_queue_backlog', { task_queue: scanQueue }),
        };
        if (
          backlog['scanWorkflow'] === 3 &&
          backlog['rematchActivity'] === 2 &&
          (backlog['rematchActivityAge'] ?? 0) > 0
        )
          break;
        await sleep(500);
      }
      expect(backlog).toEqual({
        scanWorkflow: 3,
        scanActivity: 0,
        rematchActivity: 2,
        rematchActivityAge: expect.any(Number),
        legacy: 3,
      });
      expect(backlog['rematchActivityAge']).toBeGreaterThan(0);
      await Promise.all(probing.map((handle) => handle.terminate('test over')));
    });
    await running;
    await Promise.all(waiting.map((handle) => handle.terminate('test over')));
  });
});
