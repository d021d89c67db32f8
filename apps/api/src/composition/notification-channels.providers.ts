import type { Provider } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CreateNotificationChannel,
  DeleteNotificationChannel,
  GetNotificationChannel,
  ListNotificationChannels,
  RotateNotificationChannelSecret,
  TestNotificationChannel,
  UpdateNotificationChannel,
  type NotificationChannelPorts,
} from '@repoguard/application';
import type { Clock, NotificationSender, UnitOfWork } from '@repoguard/domain';
import {
  createNotificationSender,
  newWebhookSigningSecret,
  notificationSettings,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { CLOCK, UNIT_OF_WORK } from './application.providers';

export const NOTIFICATION_CHANNEL_PORTS = Symbol('NOTIFICATION_CHANNEL_PORTS');
export const NOTIFICATION_SENDER = Symbol('NOTIFICATION_SENDER');

/** Channels' use cases and the sender test-sends go through (the worker builds the same one). */
export const notificationChannelProviders: Provider[] = [
  {
    provide: NOTIFICATION_CHANNEL_PORTS,
    inject: [UNIT_OF_WORK, API_CONFIG],
    useFactory: (uow: UnitOfWork, config: ApiConfig): NotificationChannelPorts => {
      const settings = notificationSettings(config);
      return {
        uow,
        outbound: settings.outbound,
        rules: { allowHttp: settings.allowHttp, operatorSmtp: settings.smtpUrl !== undefined },
      };
    },
  },
  {
    provide: NOTIFICATION_SENDER,
    inject: [API_CONFIG],
    useFactory: (config: ApiConfig): NotificationSender =>
      createNotificationSender(notificationSettings(config)),
  },
  {
    provide: CreateNotificationChannel,
    inject: [NOTIFICATION_CHANNEL_PORTS],
    useFactory: (ports: NotificationChannelPorts) =>
      new CreateNotificationChannel(ports, newWebhookSigningSecret, randomUUID),
  },
  {
    provide: UpdateNotificationChannel,
    inject: [NOTIFICATION_CHANNEL_PORTS],
    useFactory: (ports: NotificationChannelPorts) => new UpdateNotificationChannel(ports),
  },
  ...[ListNotificationChannels, GetNotificationChannel, DeleteNotificationChannel].map((UseCase) => ({
    provide: UseCase,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new UseCase(uow),
  })),
  {
    provide: TestNotificationChannel,
    inject: [UNIT_OF_WORK, NOTIFICATION_SENDER, CLOCK, API_CONFIG],
    useFactory: (uow: UnitOfWork, sender: NotificationSender, clock: Clock, config: ApiConfig) => {
      const base = config.PUBLIC_BASE_URL?.replace(/(?<!\/)\/+$/, '');
      return new TestNotificationChannel(uow, sender, clock, randomUUID, (orgId) =>
        base ? `${base}/api/v1/orgs/${orgId}/repos` : null,
      );
    },
  },
  {
    provide: RotateNotificationChannelSecret,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) => new RotateNotificationChannelSecret(uow, newWebhookSigningSecret),
  },
];
