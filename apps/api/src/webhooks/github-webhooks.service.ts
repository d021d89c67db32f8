import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  asPushEvent,
  decidePush,
  repositoryChangeOf,
  DomainError,
  UnauthenticatedError,
  ValidationError,
} from '@repoguard/domain';
import {
  GithubInstallationEntity,
  isGithubSignatureValid,
  recordAudit,
  RepositoryEntity,
  TemporalScanRequester,
  WebhookDeliveryEntity,
  type AuditEvent,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ApiMetrics } from '../metrics/api-metrics';

export interface Delivery {
  readonly rawBody: Buffer;
  readonly signature: string | undefined;
  readonly event: string | undefined;
  readonly deliveryId: string | undefined;
  readonly ip: string | null;
}

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

type Effect = Pick<WebhookDeliveryEntity, 'handled' | 'outcome' | 'scans'> & {
  action?: string | null;
  githubRepoId?: string | null;
  ref?: string | null;
  headCommit?: string | null;
  statusCode: number;
  error?: string | null;
};

/** What every effect of one delivery shares: its transaction and how it is audited. */
interface DeliveryContext {
  readonly tx: EntityManager;
  readonly deliveryId: string;
  readonly action: string | null;
  /** Queues an audit row by the webhook actor, correlated by the delivery id. */
  audit(event: AuditEvent): void;
}

const malformed = (error: string): Effect => ({
  handled: false,
  outcome: 'malformed payload',
  scans: [],
  statusCode: 400,
  error,
});
const ignoredAs = (outcome: string, extra: Partial<Effect> = {}): Effect => ({
  handled: false,
  outcome,
  scans: [],
  statusCode: 202,
  ...extra,
});

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT = /^[a-z_]{1,64}$/;

/**
 * GitHub deliveries: verified, recorded once per delivery id, and acted on within GitHub's 10 s
 * budget. The only work done here is the signature check, the dedupe, the record and a signal to
 * the repository's scan workflow; the scan itself runs on the worker.
 */
@Injectable()
export class GithubWebhooksService {
  private readonly logger = new Logger('GithubWebhooks');
  constructor(
    private readonly em: EntityManager,
    private readonly requester: TemporalScanRequester,
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async receive(delivery: Delivery): Promise<DeliveryAnswer> {
    const secret = this.config.GITHUB_WEBHOOK_SECRET;
    if (!secret) {
      throw new DomainError(
        'unavailable',
        'WEBHOOKS_NOT_CONFIGURED',
        'GITHUB_WEBHOOK_SECRET is not set on this instance',
      );
    }
    // Before anything else: an unsigned or forged delivery must have no effect, not even a record.
    if (!(await isGithubSignatureValid(secret, delivery.rawBody, delivery.signature))) {
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

    return this.em.fork().transactional(async (tx) => {
      const record = tx
        .createQueryBuilder(WebhookDeliveryEntity)
        .insert({ deliveryId, event, handled: false, outcome: 'received', statusCode: 202, scans: [] })
        .onConflict('deliveryId')
        .ignore();
      if ((await record.execute('run')).affectedRows === 0) {
        this.metrics.webhookDeliveries.inc({ event, outcome: 'duplicate' });
        return { status: 200, body: { delivery_id: deliveryId, duplicate: true } };
      }
      const effect = await this.effectOf(tx, event, deliveryId, payload, delivery.ip);
      await tx
        .createQueryBuilder(WebhookDeliveryEntity)
        .update({
          action: effect.action ?? null,
          githubRepoId: effect.githubRepoId ?? null,
          ref: effect.ref ?? null,
          headCommit: effect.headCommit ?? null,
          handled: effect.handled,
          outcome: effect.outcome,
          statusCode: effect.statusCode,
          error: effect.error ?? null,
          scans: effect.scans,
        })
        .where({ deliveryId })
        .execute();
      await tx.flush();
      this.metrics.webhookDeliveries.inc({ event, outcome: effect.handled ? 'handled' : 'ignored' });
      const body = {
        delivery_id: deliveryId,
        event,
        handled: effect.handled,
        outcome: effect.outcome,
        scans: effect.scans,
      };
      if (effect.statusCode >= 400) {
        return {
          status: effect.statusCode,
          body: { error: { code: 'MALFORMED_JSON', message: effect.error, details: [] } },
        };
      }
      return { status: effect.statusCode, body };
    });
  }

  private async effectOf(
    tx: EntityManager,
    event: string,
    deliveryId: string,
    payload: unknown,
    ip: string | null,
  ): Promise<Effect> {
    if (payload === undefined || typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return malformed('The body is not a JSON object');
    }
    const raw = (payload as { action?: unknown }).action;
    const action = typeof raw === 'string' ? raw : null;
    const ctx: DeliveryContext = {
      tx,
      deliveryId,
      action,
      audit: (auditEvent) =>
        recordAudit(
          tx,
          { actorType: 'webhook', actorId: `github:${deliveryId}`, correlationId: deliveryId, ip },
          auditEvent,
        ),
    };
    return { action, ...(await this.effectFor(ctx, event, payload)) };
  }

  private async effectFor(ctx: DeliveryContext, event: string, payload: object): Promise<Effect> {
    switch (event) {
      case 'ping':
        return { handled: true, outcome: 'pong', scans: [], statusCode: 200 };
      case 'push':
        return this.pushEffect(ctx, payload);
      case 'repository':
        return this.repositoryEffect(ctx, payload);
      case 'installation':
        return this.installationEffect(ctx, payload);
      case 'installation_repositories':
        return this.installationRepositoriesEffect(ctx, payload);
      default:
        return ignoredAs(`event ${event} is not acted on`);
    }
  }

  private async pushEffect({ tx, deliveryId, audit }: DeliveryContext, payload: object): Promise<Effect> {
    const push = asPushEvent(payload);
    if (!push) return malformed('A push needs ref, after and repository.id');
    const base = { githubRepoId: String(push.repository.id), ref: push.ref, headCommit: push.after };
    // By GitHub's immutable id, never by name: a rename or a spoofed full_name cannot redirect a scan.
    const repos = await tx.find(RepositoryEntity, {
      provider: 'github',
      externalId: String(push.repository.id),
    });
    if (repos.length === 0) return ignoredAs('repository not connected', base);

    const scans: Effect['scans'] = [];
    const reasons: string[] = [];
    // A push that asks for nothing is still in the org's audit trail, with the reason.
    const ignored = (repo: RepositoryEntity, reason: string) => {
      reasons.push(reason);
      audit({
        orgId: repo.orgId,
        action: 'webhook.ignored',
        targetType: 'repository',
        targetId: repo.id,
        metadata: { event: 'push', ref: push.ref, commit_sha: push.after, reason, delivery_id: deliveryId },
      });
    };
    for (const repo of repos) {
      if (repo.disabledAt) {
        ignored(repo, `repository disabled: ${repo.disabledReason ?? 'by GitHub'}`);
        continue;
      }
      const decision = decidePush(push, [repo.defaultBranch]);
      if (!decision.scan) {
        ignored(repo, decision.reason);
        continue;
      }
      // Inside the transaction: if Temporal refuses, the delivery is not recorded and GitHub's
      // redelivery can still have its effect.
      const receipt = await this.requester
        .request(
          { orgId: repo.orgId, repoId: repo.id, owner: repo.owner, name: repo.name },
          {
            trigger: 'push',
            commitSha: decision.commitSha,
            ref: decision.ref,
            requestedBy: `webhook:${deliveryId}`,
            deliveryId,
            correlationId: deliveryId,
          },
        )
        .catch((error: unknown) => {
          throw new DomainError(
            'unavailable',
            'TEMPORAL_UNAVAILABLE',
            `Could not queue the scan: ${String(error)}`,
          );
        });
      scans.push({ repo_id: repo.id, org_id: repo.orgId, workflow_id: receipt.workflowId });
      audit({
        orgId: repo.orgId,
        action: 'scan.requested',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          trigger: 'push',
          commit_sha: decision.commitSha,
          ref: decision.ref,
          delivery_id: deliveryId,
          run_id: receipt.runId,
        },
      });
    }
    this.logger.log(
      `delivery ${deliveryId}: push ${push.ref}@${push.after.slice(0, 12)} -> ${scans.length} scan request(s)`,
    );
    return scans.length > 0
      ? { ...base, handled: true, outcome: 'scan requested', scans, statusCode: 202 }
      : ignoredAs([...new Set(reasons)].join('; '), base);
  }

  /** Renames, transfers and default-branch edits follow GitHub; archiving or deleting stops scans. */
  private async repositoryEffect({ tx, action, audit }: DeliveryContext, payload: object): Promise<Effect> {
    const change = repositoryChangeOf(payload);
    if (!change) return malformed('A repository event needs repository.id, name and owner.login');
    const githubRepoId = String(change.githubId);
    const repos = await tx.find(RepositoryEntity, { provider: 'github', externalId: githubRepoId });
    if (repos.length === 0) return ignoredAs('repository not connected', { githubRepoId });
    for (const repo of repos) {
      const before = {
        full_name: `${repo.owner}/${repo.name}`,
        default_branch: repo.defaultBranch,
        disabled: repo.disabledReason,
      };
      repo.owner = change.owner;
      repo.name = change.name;
      if (change.defaultBranch) repo.defaultBranch = change.defaultBranch;
      if (change.disable !== undefined) {
        repo.disabledAt = change.disable === null ? null : new Date();
        repo.disabledReason = change.disable;
      }
      audit({
        orgId: repo.orgId,
        action: 'repo.updated',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          github_action: action,
          from: before,
          to: {
            full_name: `${repo.owner}/${repo.name}`,
            default_branch: repo.defaultBranch,
            disabled: repo.disabledReason,
          },
        },
      });
    }
    return { handled: true, outcome: 'repository updated', scans: [], statusCode: 202, githubRepoId };
  }

  /** An uninstalled or suspended app stops reading the installation's repositories; unsuspending resumes. */
  private async installationEffect({ tx, action, audit }: DeliveryContext, payload: object): Promise<Effect> {
    const installation = (payload as { installation?: { id?: unknown } }).installation;
    if (typeof installation?.id !== 'number') return malformed('An installation event needs installation.id');
    const revoke = action === 'deleted' || action === 'suspend';
    if (!revoke && action !== 'unsuspend')
      return ignoredAs(`installation ${action ?? 'event'} is not acted on`);
    const row = await tx.findOne(GithubInstallationEntity, { installationId: String(installation.id) });
    if (!row) return ignoredAs('installation not linked');
    row.revokedAt = revoke ? new Date() : null;
    audit({
      orgId: row.orgId,
      action: 'github_installation.revoked',
      targetType: 'github_installation',
      targetId: String(installation.id),
      metadata: { github_action: action },
    });
    return {
      handled: true,
      outcome: revoke ? 'installation revoked' : 'installation restored',
      scans: [],
      statusCode: 202,
    };
  }

  /**
   * Repositories taken out of an installation can no longer be read through it: the connected ones
   * stop being scanned until they are granted again.
   */
  private async installationRepositoriesEffect(
    { tx, action, audit }: DeliveryContext,
    payload: object,
  ): Promise<Effect> {
    const p = payload as {
      installation?: { id?: unknown };
      repositories_added?: unknown;
      repositories_removed?: unknown;
    };
    const ids = (list: unknown) =>
      Array.isArray(list) ? list.flatMap((r) => (typeof r?.id === 'number' ? [String(r.id)] : [])) : [];
    if (typeof p.installation?.id !== 'number') {
      return malformed('An installation_repositories event needs installation.id');
    }
    const installationId = String(p.installation.id);
    const removed = ids(p.repositories_removed);
    const added = ids(p.repositories_added);
    const reason = 'removed from the GitHub App installation';
    const repos = await tx.find(RepositoryEntity, {
      provider: 'github',
      installationId,
      externalId: { $in: [...removed, ...added] },
    });
    for (const repo of repos) {
      const isRemoved = removed.includes(String(repo.externalId));
      if (isRemoved) {
        repo.disabledAt = new Date();
        repo.disabledReason = reason;
      } else if (repo.disabledReason === reason) {
        repo.disabledAt = null;
        repo.disabledReason = null;
      } else {
        continue;
      }
      audit({
        orgId: repo.orgId,
        action: 'repo.updated',
        targetType: 'repository',
        targetId: repo.id,
        metadata: { github_action: `installation_repositories.${action}`, disabled: repo.disabledReason },
      });
    }
    return repos.length > 0
      ? { handled: true, outcome: 'repositories updated', scans: [], statusCode: 202 }
      : ignoredAs('no connected repository concerned');
  }
}
