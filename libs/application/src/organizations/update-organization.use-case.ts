import type { OrganizationChanges, OrganizationRecord, UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface UpdateOrganizationCommand {
  readonly caller: OrgCaller;
  readonly name?: string;
  /** null: the instance default. */
  readonly rateLimitPerMinute?: number | null;
}

/** Renames the org or sets its per-token rate limit; audited with what changed. */
export class UpdateOrganization {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ caller, name, rateLimitPerMinute }: UpdateOrganizationCommand): Promise<OrganizationRecord> {
    return this.uow.transaction(caller.scope, async ({ organizations, audit }) => {
      const changes: { -readonly [K in keyof OrganizationChanges]: OrganizationChanges[K] } = {};
      if (name !== undefined) changes.name = name.trim();
      if (rateLimitPerMinute !== undefined) changes.rateLimitPerMinute = rateLimitPerMinute;
      const org = await organizations.update(caller.orgId, changes);
      audit.record(caller.actor, {
        orgId: org.id,
        action: 'org.updated',
        targetType: 'organization',
        targetId: org.id,
        metadata: {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.rateLimitPerMinute !== undefined
            ? { rate_limit_per_minute: changes.rateLimitPerMinute }
            : {}),
        },
      });
      return org;
    });
  }
}
