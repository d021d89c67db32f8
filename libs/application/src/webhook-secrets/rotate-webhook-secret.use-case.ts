import type { TokenIssuer, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface RotateWebhookSecretCommand {
  readonly caller: OrgCaller;
}

export interface WebhookSecretIssued {
  /** Shown this once: only its sealed form is kept. */
  readonly secret: string;
  /** Whether it replaced a secret, which stopped working at once. */
  readonly rotated: boolean;
  readonly updatedAt: Date | null;
}

/**
 * A new secret for the org's own GitHub webhooks, sealed; it replaces the previous one with no
 * overlap (a delivery signed with the old one is refused from now on). Audited, never the value.
 */
export class RotateWebhookSecret {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: TokenIssuer,
  ) {}

  execute({ caller }: RotateWebhookSecretCommand): Promise<WebhookSecretIssued> {
    const { token: secret } = this.tokens.issue('webhook_secret');
    return this.uow.transaction(caller.scope, async ({ webhookSecrets, audit }) => {
      const rotated = (await webhookSecrets.updatedAt(caller.orgId)) !== null;
      await webhookSecrets.seal(caller.orgId, secret);
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'webhook_secret.set',
        targetType: 'organization',
        targetId: caller.orgId,
        metadata: { rotated },
      });
      return { secret, rotated, updatedAt: await webhookSecrets.updatedAt(caller.orgId) };
    });
  }
}
