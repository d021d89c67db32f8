import type { Provider } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  CreateNotificationRule,
  DeleteNotificationRule,
  DispatchNotificationEvents,
  GetNotificationDelivery,
  GetNotificationRule,
  ListNotificationDeliveries,
  ListNotificationRules,
  MuteNotificationRule,
  UnmuteNotificationRule,
  UpdateNotificationRule,
} from '@repoguard/application';
import type { Clock, NotificationDeliveryStarter, UnitOfWork } from '@repoguard/domain';
import { TemporalNotificationDeliveryStarter } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import { NotificationDispatchRunner } from '../notifications/notification-dispatch.runner';
import { CLOCK, UNIT_OF_WORK } from './application.providers';

export const NOTIFICATION_DELIVERY_STARTER = Symbol('NOTIFICATION_DELIVERY_STARTER');

/** Notification rules, the dispatcher and the delivery log, over the API's adapters. */
export const notificationProviders: Provider[] = [
  {
    provide: NOTIFICATION_DELIVERY_STARTER,
    inject: [TEMPORAL_CLIENT, API_CONFIG],
    useFactory: (client: Client, config: ApiConfig) =>
      new TemporalNotificationDeliveryStarter(client, config.TEMPORAL_TASK_QUEUE),
  },
  {
    provide: CreateNotificationRule,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new CreateNotificationRule(uow, randomUUID),
  },
  {
    provide: ListNotificationRules,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new ListNotificationRules(uow),
  },
  {
    provide: GetNotificationRule,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new GetNotificationRule(uow),
  },
  {
    provide: UpdateNotificationRule,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new UpdateNotificationRule(uow),
  },
  {
    provide: DeleteNotificationRule,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new DeleteNotificationRule(uow),
  },
  {
    provide: MuteNotificationRule,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new MuteNotificationRule(uow, clock),
  },
  {
    provide: UnmuteNotificationRule,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new UnmuteNotificationRule(uow),
  },
  {
    provide: ListNotificationDeliveries,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new ListNotificationDeliveries(uow),
  },
  {
    provide: GetNotificationDelivery,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new GetNotificationDelivery(uow),
  },
  {
    provide: DispatchNotificationEvents,
    inject: [UNIT_OF_WORK, NOTIFICATION_DELIVERY_STARTER, CLOCK],
    useFactory: (uow: UnitOfWork, starter: NotificationDeliveryStarter, clock: Clock) =>
      new DispatchNotificationEvents(uow, starter, clock, randomUUID),
  },
  NotificationDispatchRunner,
];
