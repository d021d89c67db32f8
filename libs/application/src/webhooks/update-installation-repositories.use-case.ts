import type { Clock, Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from './webhook-outcome';

export interface UpdateInstallationRepositoriesCommand {
  readonly caller: Caller;
  readonly installationId: string;
  /** GitHub's repository ids. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly githubAction: string | null;
}

const REMOVED = 'removed from the GitHub App installation';

/**
 * Repositories taken out of an installation can no longer be read through it: the connected ones
 * stop being scanned until they are granted again.
 */
export class UpdateInstallationRepositories {
  constructor(private readonly clock: Clock) {}

  async executeIn(
    stores: Stores,
    { caller, installationId, added, removed, githubAction }: UpdateInstallationRepositoriesCommand,
  ): Promise<WebhookOutcome> {
    const repos = await stores.repositories.findByInstallation(installationId, [...removed, ...added]);
    for (const repo of repos) {
      const changes = removed.includes(String(repo.externalId))
        ? { disabledAt: this.clock.now(), disabledReason: REMOVED }
        : repo.disabledReason === REMOVED
          ? { disabledAt: null, disabledReason: null }
          : null;
      if (!changes) continue;
      await stores.repositories.update(repo.id, changes);
      stores.audit.record(caller.actor, {
        orgId: repo.orgId,
        action: 'repo.updated',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          github_action: `installation_repositories.${githubAction}`,
          disabled: changes.disabledReason,
        },
      });
    }
    return repos.length > 0
      ? handledDelivery('repositories updated')
      : ignoredDelivery('no connected repository concerned');
  }
}
