// Workers for the digest and rescan tests: the bundle of notification-schedule-test.workflows
// (built once per test file) with the real activities over the test's database.
import * as path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '@repoguard/activities';
import type { DeliverNotificationInput } from '@repoguard/contract';
import {
  buildActivityDeps,
  PiscinaManifestParserPool,
  workflowBundlerOptions,
  workflowCorrelationInterceptorsPath,
} from '@repoguard/infrastructure';
import type { TemporalHarness } from './temporal-harness';
import { temporalNamespace } from './temporal-harness';

let bundle: Promise<{ code: string }> | undefined;

function notificationBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'workflows/notification-schedule-test.workflows.ts'),
    workflowInterceptorModules: [workflowCorrelationInterceptorsPath()],
    webpackConfigHook: workflowBundlerOptions().webpackConfigHook,
    logger: undefined,
  });
  return bundle;
}

/** What the stand-in delivery workflow got, and how it answers (delivered unless told otherwise). */
export class StandInDeliveries {
  readonly received: string[] = [];
  /** The receiver refuses for good (the row ends failed with its answer). */
  refuse = false;
  /** The retries run out against an outage (the row ends failed as the delivery workflow's give-up writes it). */
  exhaust = false;

  constructor(private readonly orm: MikroORM) {}

  readonly activities = {
    standInDeliver: async ({ deliveryId }: DeliverNotificationInput) => {
      this.received.push(deliveryId);
      const delivered = !this.refuse && !this.exhaust;
      await this.orm.em
        .fork()
        .getKnex()('notification_deliveries')
        .where({ id: deliveryId })
        .update({
          status: delivered ? 'delivered' : 'failed',
          attempts: 1,
          ...(delivered
            ? { delivered_at: new Date() }
            : {
                last_error: this.refuse
                  ? 'HTTP 404: refused by the stand-in'
                  : 'Gave up after retries (HTTP 503 Service Unavailable)',
              }),
        });
      return { delivered };
    },
  };
}

export async function startNotificationScheduleWorker(
  temporal: TemporalHarness,
  orm: MikroORM,
  taskQueue: string,
  deliveries: StandInDeliveries,
): Promise<{ worker: Worker; running: Promise<void>; parserPool: PiscinaManifestParserPool }> {
  const parserPool = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 30_000 });
  const activities = createActivities(
    buildActivityDeps(orm.em, {
      workerIdentity: 'notification-schedules-test',
      githubApiUrl: 'http://127.0.0.1:9',
      osvApiUrl: 'http://127.0.0.1:9',
      timeoutMs: 1_000,
      parserPool,
    }),
  );
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporalNamespace(),
    taskQueue,
    workflowBundle: await notificationBundle(),
    activities: { ...activities, ...deliveries.activities },
    shutdownGraceTime: '2 seconds',
  });
  const running = worker.run();
  return { worker, running, parserPool };
}
