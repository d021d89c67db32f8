import { Injectable } from '@nestjs/common';
import { UpdateInstallationRepositories } from '@repoguard/application';
import type { Stores } from '@repoguard/domain';
import { accepted, malformedPayload, type WebhookDelivery, type WebhookHandler } from './webhook-handler';

interface InstallationRepositoriesPayload {
  readonly installation?: { readonly id?: unknown };
  readonly repositories_added?: unknown;
  readonly repositories_removed?: unknown;
}

/** GitHub's repository ids in a list of repositories; anything else in it is skipped. */
const idsOf = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.flatMap((r: { id?: unknown } | null) => (typeof r?.id === 'number' ? [String(r.id)] : []))
    : [];

@Injectable()
export class InstallationRepositoriesWebhookHandler implements WebhookHandler {
  readonly event = 'installation_repositories';
  readonly appOnly = true;

  constructor(private readonly updateInstallationRepositories: UpdateInstallationRepositories) {}

  async handle(stores: Stores, { caller, action, payload }: WebhookDelivery) {
    const p = payload as InstallationRepositoriesPayload;
    if (typeof p.installation?.id !== 'number') {
      throw malformedPayload('An installation_repositories event needs installation.id');
    }
    return accepted(
      await this.updateInstallationRepositories.executeIn(stores, {
        caller,
        installationId: String(p.installation.id),
        added: idsOf(p.repositories_added),
        removed: idsOf(p.repositories_removed),
        githubAction: action,
      }),
    );
  }
}
