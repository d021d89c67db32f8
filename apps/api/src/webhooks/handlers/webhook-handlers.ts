import type { Provider } from '@nestjs/common';
import { CheckRunWebhookHandler, CheckSuiteWebhookHandler } from './check-rerequest.webhook-handler';
import { InstallationRepositoriesWebhookHandler } from './installation-repositories.webhook-handler';
import { InstallationWebhookHandler } from './installation.webhook-handler';
import { PingWebhookHandler } from './ping.webhook-handler';
import { PullRequestWebhookHandler } from './pull-request.webhook-handler';
import { PushWebhookHandler } from './push.webhook-handler';
import { RepositoryWebhookHandler } from './repository.webhook-handler';
import type { WebhookHandler } from './webhook-handler';

/** The handler of each event GitHub sends that we act on, by event name. */
export const WEBHOOK_HANDLERS = Symbol('WEBHOOK_HANDLERS');
export type WebhookHandlers = ReadonlyMap<string, WebhookHandler>;

const HANDLERS = [
  PingWebhookHandler,
  PushWebhookHandler,
  RepositoryWebhookHandler,
  InstallationWebhookHandler,
  InstallationRepositoriesWebhookHandler,
  PullRequestWebhookHandler,
  CheckRunWebhookHandler,
  CheckSuiteWebhookHandler,
];

export const webhookHandlerProviders: Provider[] = [
  ...HANDLERS,
  {
    provide: WEBHOOK_HANDLERS,
    inject: HANDLERS,
    useFactory: (...handlers: WebhookHandler[]): WebhookHandlers =>
      new Map(handlers.map((h) => [h.event, h])),
  },
];
