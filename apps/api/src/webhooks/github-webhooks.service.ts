import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  OpenOrgWebhookSecret,
  RelayPullRequestChecks,
  RequestScan,
  type Caller,
} from '@repoguard/application';
import {
  DomainError,
  ForbiddenError,
  SYSTEM_SCOPE,
  UnauthenticatedError,
  ValidationError,
  type DeliveryOutcome,
  type Stores,
  type TenantScope,
  type UnitOfWork,
} from '@repoguard/domain';
import { isGithubSignatureValid } from '@repoguard/infrastructure';
import { UNIT_OF_WORK } from '../composition/application.providers';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ApiMetrics } from '@repoguard/infrastructure';
import { malformedPayload, type WebhookEffect } from './handlers/webhook-handler';
import { handlerFor, WEBHOOK_HANDLERS, type WebhookHandlers } from './handlers/webhook-handlers';

export interface Delivery {
  readonly rawBody: Buffer;
  readonly signature: string | undefined;
  readonly event: string | undefined;
  readonly deliveryId: string | undefined;
  readonly ip: string | null;
  /**
   * The org whose own webhook URL received it (signed with that org's secret, confined to that
   * org's repositories); absent for the GitHub App's URL (the app's secret, every org).
   */
  readonly orgId?: string;
}

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const MALFORMED: WebhookEffect = { handled: false, outcome: 'malformed payload', scans: [], statusCode: 400 };

const isMalformed = (error: unknown): error is DomainError =>
  error instanceof DomainError && error.code === 'MALFORMED_JSON';

// GitHub's are 36-character GUIDs; 60 leaves room for the org prefix in the 100-character log key.
const DELIVERY_ID = /^[A-Z0-9-]{1,60}$/i;
const EVENT = /^[a-z_]{1,64}$/;

/**
 * GitHub deliveries: verified, recorded once per delivery id, and acted on within GitHub's 10 s
 * budget. Here: the signature and header checks, the dedupe and the record; each event's handler
 * does the rest in the same unit of work (a scan request is committed with the delivery, relayed
 * to Temporal after the commit, and the scan itself runs on the worker).
 *
 * Two kinds of URL: the GitHub App's (GITHUB_WEBHOOK_SECRET, the system's scope) and each org's
 * own (that org's secret, that org's scope only, and no installation events, which only the App
 * may send).
 */
@Injectable()
export class GithubWebhooksService {
  // Checked against when an org URL has no secret, so that answer costs what a wrong signature does.
  private readonly noSecret = randomBytes(32).toString('hex');

  constructor(
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
    @Inject(WEBHOOK_HANDLERS) private readonly handlers: WebhookHandlers,
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly openOrgWebhookSecret: OpenOrgWebhookSecret,
    private readonly requestScan: RequestScan,
    private readonly relayChecks: RelayPullRequestChecks,
  ) {}

  async receive(delivery: Delivery): Promise<DeliveryAnswer> {
    const scope: TenantScope = delivery.orgId === undefined ? SYSTEM_SCOPE : { orgIds: [delivery.orgId] };
    const secret = await this.secretFor(delivery, scope);
    // Before anything else: an unsigned or forged delivery must have no effect, not even a record.
    // An unknown org, or one without a secret, is answered exactly like a wrong signature.
    if (!(await isGithubSignatureValid(secret ?? this.noSecret, delivery.rawBody, delivery.signature))) {
      throw new UnauthenticatedError(
        'WEBHOOK_SIGNATURE_INVALID',
        'X-Hub-Signature-256 is missing or does not match the body',
      );
    }
    const missing = [
      ...(delivery.event && EVENT.test(delivery.event)
        ? []
        : [{ field: 'X-GitHub-Event', problem: 'must name the event' }]),
      ...(delivery.deliveryId && DELIVERY_ID.test(delivery.deliveryId)
        ? []
        : [{ field: 'X-GitHub-Delivery', problem: 'must be the delivery id' }]),
    ];
    if (missing.length > 0) {
      throw new ValidationError('Missing or malformed GitHub delivery headers', missing, 'REQUEST_INVALID');
    }
    const deliveryId = delivery.deliveryId!;
    const event = delivery.event!;
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.rawBody.toString('utf8'));
    } catch {
      payload = undefined;
    }
    if (scope !== SYSTEM_SCOPE && handlerFor(this.handlers, event, actionOf(payload))?.appOnly) {
      throw new ForbiddenError(
        'WEBHOOK_EVENT_NOT_ALLOWED',
        `${event} events are accepted only from the GitHub App, at /webhooks/github`,
      );
    }

    // Delivery ids are chosen by whoever signs: a tenant signing with its own secret must not claim
    // an id first and so make the App's delivery (or its redelivery) look like a duplicate.
    const logKey = delivery.orgId === undefined ? deliveryId : `org:${delivery.orgId}:${deliveryId}`;
    const result = await this.uow.transaction(scope, async (stores) => {
      if (!(await stores.webhookDeliveries.claim(logKey, event))) {
        this.metrics.webhookDeliveries.inc({ event, outcome: 'duplicate' });
        return { answer: { status: 200, body: { delivery_id: deliveryId, duplicate: true } } };
      }
      const action = actionOf(payload);
      // A malformed payload is refused, but its delivery is recorded like any other.
      const { effect, refusal } = await this.effectOf(stores, {
        event,
        deliveryId,
        action,
        payload,
        ip: delivery.ip,
        scope,
      }).then(
        (done): { effect: WebhookEffect; refusal: DomainError | null } => ({ effect: done, refusal: null }),
        (error: unknown) => {
          if (!isMalformed(error)) throw error;
          return { effect: MALFORMED, refusal: error };
        },
      );
      await stores.webhookDeliveries.settle(logKey, recordOf(effect, action, refusal));
      this.metrics.webhookDeliveries.inc({ event, outcome: effect.handled ? 'handled' : 'ignored' });
      if (refusal) return { refusal };
      const body = {
        delivery_id: deliveryId,
        event,
        handled: effect.handled,
        outcome: effect.outcome,
        scans: effect.scans,
      };
      const requestIds = effect.scans.flatMap((scan) => scan.request_id ?? []);
      const checkIds = (effect.checks ?? []).map((check) => check.check_id);
      return {
        answer: {
          status: effect.statusCode,
          body: effect.checks ? { ...body, checks: effect.checks } : body,
        },
        requestIds,
        checkIds,
      };
    });
    if ('refusal' in result) throw result.refusal;
    // Committed with the delivery; sent to Temporal now, outside the transaction. When Temporal is
    // out of reach the answer is the same 202: the relay loop sends them once it is back.
    if ('requestIds' in result && result.requestIds)
      await this.requestScan.relayAfterCommit(result.requestIds);
    if ('checkIds' in result && result.checkIds) await this.relayChecks.relayAfterCommit(result.checkIds);
    return result.answer;
  }

  /** The secret the delivery must be signed with; null when its org URL has none. */
  private async secretFor(delivery: Delivery, scope: TenantScope): Promise<string | null> {
    if (delivery.orgId === undefined) {
      const secret = this.config.GITHUB_WEBHOOK_SECRET;
      if (!secret) {
        throw new DomainError(
          'unavailable',
          'WEBHOOKS_NOT_CONFIGURED',
          'GITHUB_WEBHOOK_SECRET is not set on this instance',
        );
      }
      return secret;
    }
    return this.openOrgWebhookSecret.execute({
      caller: webhookCaller(scope, null, delivery.ip),
      orgId: delivery.orgId,
    });
  }

  private async effectOf(
    stores: Stores,
    { event, deliveryId, action, payload, ip, scope }: ReceivedDelivery,
  ): Promise<WebhookEffect> {
    if (!isJsonObject(payload)) throw malformedPayload('The body is not a JSON object');
    const handler = handlerFor(this.handlers, event, action);
    if (!handler)
      return { handled: false, outcome: `event ${event} is not acted on`, scans: [], statusCode: 202 };
    const caller = webhookCaller(scope, deliveryId, ip);
    return handler.handle(stores, { deliveryId, event, action, caller, payload });
  }
}

/** The delivery as the use cases see it: audited as the webhook, confined to the URL's scope. */
function webhookCaller(scope: TenantScope, deliveryId: string | null, ip: string | null): Caller {
  return {
    scope,
    actor: {
      actorType: 'webhook',
      actorId: deliveryId ? `github:${deliveryId}` : 'github',
      correlationId: deliveryId,
      ip,
    },
  };
}

interface ReceivedDelivery {
  readonly event: string;
  readonly deliveryId: string;
  readonly action: string | null;
  readonly payload: unknown;
  readonly ip: string | null;
  readonly scope: TenantScope;
}

const isJsonObject = (payload: unknown): payload is object =>
  typeof payload === 'object' && payload !== null && !Array.isArray(payload);

function actionOf(payload: unknown): string | null {
  const action = isJsonObject(payload) ? (payload as { action?: unknown }).action : undefined;
  return typeof action === 'string' ? action : null;
}

function recordOf(
  effect: WebhookEffect,
  action: string | null,
  refusal: DomainError | null,
): DeliveryOutcome {
  return {
    action,
    githubRepoId: effect.githubRepoId ?? null,
    ref: effect.ref ?? null,
    headCommit: effect.headCommit ?? null,
    handled: effect.handled,
    outcome: effect.outcome,
    statusCode: effect.statusCode,
    error: refusal?.message ?? null,
    scans: effect.scans,
  };
}
