import type { Clock, Repository, RepositoryChange, Stores } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { handledDelivery, ignoredDelivery, type WebhookOutcome } from './webhook-outcome';

export interface ApplyRepositoryChangeCommand {
  readonly caller: Caller;
  readonly change: RepositoryChange;
  readonly githubAction: string | null;
  /**
   * Whether the payload's owner and name are taken (renames, transfers). Not from an org's own
   * webhook: its sender could point the repository at another one without connecting it.
   */
  readonly followRename?: boolean;
}

const shown = (repo: Repository) => ({
  full_name: `${repo.owner}/${repo.name}`,
  default_branch: repo.defaultBranch,
  disabled: repo.disabledReason,
});

/** Renames, transfers and default-branch edits follow GitHub; archiving or deleting stops scans. */
export class ApplyRepositoryChange {
  constructor(private readonly clock: Clock) {}

  async executeIn(
    stores: Stores,
    { caller, change, githubAction, followRename = true }: ApplyRepositoryChangeCommand,
  ): Promise<WebhookOutcome> {
    const repos = await stores.repositories.findByExternalId('github', String(change.githubId));
    if (repos.length === 0) return ignoredDelivery('repository not connected');
    for (const repo of repos) {
      const renameIgnored = !followRename && (repo.owner !== change.owner || repo.name !== change.name);
      const updated = await stores.repositories.update(repo.id, {
        ...(followRename ? { owner: change.owner, name: change.name } : {}),
        ...(change.defaultBranch ? { defaultBranch: change.defaultBranch } : {}),
        ...(change.disable !== undefined
          ? { disabledAt: change.disable === null ? null : this.clock.now(), disabledReason: change.disable }
          : {}),
      });
      stores.audit.record(caller.actor, {
        orgId: repo.orgId,
        action: 'repo.updated',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          github_action: githubAction,
          from: shown(repo),
          to: shown(updated),
          ...(renameIgnored ? { rename_ignored: `${change.owner}/${change.name}` } : {}),
        },
      });
    }
    return handledDelivery('repository updated');
  }
}
