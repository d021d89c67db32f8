import type { UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface OpenOrgWebhookSecretCommand {
  /** The delivery, scoped to the org its URL names. */
  readonly caller: Caller;
  readonly orgId: string;
}

// Org ids are UUIDs: anything else in the URL names no org, and is not sent to the database.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The secret a delivery to an org's webhook URL must be signed with: null for a malformed id, an
 * unknown or deleted org, or an org without a secret, which the caller answers all alike.
 */
export class OpenOrgWebhookSecret {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, orgId }: OpenOrgWebhookSecretCommand): Promise<string | null> {
    if (!UUID.test(orgId)) return null;
    return this.uow.read(caller.scope, async ({ organizations, webhookSecrets }) => {
      const org = await organizations.get(orgId);
      if (!org || org.deletedAt) return null;
      return webhookSecrets.open(orgId);
    });
  }
}
