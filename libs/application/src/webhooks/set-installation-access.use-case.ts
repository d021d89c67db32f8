import type { Clock, Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from './webhook-outcome';

export interface SetInstallationAccessCommand {
  readonly caller: Caller;
  readonly installationId: string;
  readonly githubAction: string | null;
}

/** An uninstalled or suspended app stops reading the installation's repositories; unsuspending resumes. */
export class SetInstallationAccess {
  constructor(private readonly clock: Clock) {}

  async executeIn(
    stores: Stores,
    { caller, installationId, githubAction }: SetInstallationAccessCommand,
  ): Promise<WebhookOutcome> {
    const revoke = githubAction === 'deleted' || githubAction === 'suspend';
    if (!revoke && githubAction !== 'unsuspend') {
      return ignoredDelivery(`installation ${githubAction ?? 'event'} is not acted on`);
    }
    const installation = await stores.githubInstallations.get(installationId);
    if (!installation) return ignoredDelivery('installation not linked');
    await stores.githubInstallations.setRevoked(installationId, revoke ? this.clock.now() : null);
    stores.audit.record(caller.actor, {
      orgId: installation.orgId,
      action: 'github_installation.revoked',
      targetType: 'github_installation',
      targetId: installationId,
      metadata: { github_action: githubAction },
    });
    return handledDelivery(revoke ? 'installation revoked' : 'installation restored');
  }
}
