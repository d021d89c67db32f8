import { Injectable } from '@nestjs/common';
import { ApplyRepositoryChange } from '@repoguard/application';
import { repositoryChangeOf, SYSTEM_SCOPE, type Stores } from '@repoguard/domain';
import { accepted, malformedPayload, type WebhookDelivery, type WebhookHandler } from './webhook-handler';

@Injectable()
export class RepositoryWebhookHandler implements WebhookHandler {
  readonly event = 'repository';

  constructor(private readonly applyRepositoryChange: ApplyRepositoryChange) {}

  async handle(stores: Stores, { caller, action, payload }: WebhookDelivery) {
    const change = repositoryChangeOf(payload);
    if (!change) throw malformedPayload('A repository event needs repository.id, name and owner.login');
    const outcome = await this.applyRepositoryChange.executeIn(stores, {
      caller,
      change,
      githubAction: action,
      // Only GitHub's App is trusted with a repository's new name; an org's own hook is not.
      followRename: caller.scope === SYSTEM_SCOPE,
    });
    return accepted(outcome, { githubRepoId: String(change.githubId) });
  }
}
