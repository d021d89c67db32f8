import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import {
  GetRescanSchedule,
  ReconcileNotificationSchedules,
  RemoveRescanSchedule,
  SetRescanSchedule,
} from '@repoguard/application';
import type { UnitOfWork } from '@repoguard/domain';
import {
  SqlDigestRuleDirectory,
  TemporalDigestScheduler,
  TemporalRescanScheduler,
} from '@repoguard/infrastructure';
import { UNIT_OF_WORK } from '../composition/application.providers';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { NotificationScheduleReconcileRunner } from './notification-schedule-reconcile.runner';

/** Digest and rescan Schedules: the rescan schedule's use cases and the reconciler with its loop. */
export const notificationScheduleProviders: Provider[] = [
  ...[SetRescanSchedule, GetRescanSchedule, RemoveRescanSchedule].map((UseCase) => ({
    provide: UseCase,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new UseCase(uow),
  })),
  {
    provide: ReconcileNotificationSchedules,
    inject: [UNIT_OF_WORK, EntityManager, TEMPORAL_CLIENT, API_CONFIG],
    useFactory: (uow: UnitOfWork, em: EntityManager, client: Client, config: ApiConfig) =>
      new ReconcileNotificationSchedules(
        uow,
        new SqlDigestRuleDirectory(em),
        // The runs start on the scan queue: the worker polls it for workflows.
        new TemporalDigestScheduler(client, { taskQueue: config.TEMPORAL_TASK_QUEUE }),
        new TemporalRescanScheduler(client, { taskQueue: config.TEMPORAL_TASK_QUEUE }),
      ),
  },
  NotificationScheduleReconcileRunner,
];
