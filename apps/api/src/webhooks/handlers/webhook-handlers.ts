import type { Provider } from '@nestjs/common';
import { CheckRunRequestedActionWebhookHandler } from './check-run-requested-action.webhook-handler';
import { CheckRunWebhookHandler, CheckSuiteWebhookHandler } from './check-rerequest.webhook-handler';
import { InstallationRepositoriesWebhookHandler } from './installation-repositories.webhook-handler';
import { InstallationWebhookHandler } from './installation.webhook-handler';
import { PingWebhookHandler } from './ping.webhook-handler';
import { PullRequestWebhookHandler } from './pull-request.webhook-handler';
import { PushWebhookHandler } from './push.webhook-handler';
import { RepositoryWebhookHandler } from './repository.webhook-handler';
import type { WebhookHandler } from './webhook-handler';

/**
 * The handler of each event GitHub sends that we act on, by event name, or by `event.action` for a
 * handler of one action (the other actions of that event go to the event's own handler, if any).
 */
export const WEBHOOK_HANDLERS = Symbol('WEBHOOK_HANDLERS');
export type WebhookHandlers = ReadonlyMap<string, WebhookHandler>;

const keyOf = (handler: WebhookHandler) =>
  handler.action ? `${handler.event}.${handler.action}` : handler.event;

/** The handler of a delivery: the one of its event and action first, else the one of its event. */
export const handlerFor = (handlers: WebhookHandlers, event: string, action: string | null) =>
  (action !== null ? handlers.get(`${event}.${action}`) : undefined) ?? handlers.get(event);

const HANDLERS = [
  PingWebhookHandler,
  PushWebhookHandler,
  RepositoryWebhookHandler,
  InstallationWebhookHandler,
  InstallationRepositoriesWebhookHandler,
  CheckRunRequestedActionWebhookHandler,
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
      new Map(handlers.map((h) => [keyOf(h), h])),
  },
];
