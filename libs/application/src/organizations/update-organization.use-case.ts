import {
  parseOrgRateLimit,
  type OrganizationChanges,
  type OrganizationRecord,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface UpdateOrganizationCommand {
  readonly caller: OrgCaller;
  readonly name?: string;
  /** null: the instance default. */
  readonly rateLimitPerMinute?: number | null;
}

export interface UpdateOrganizationSettings {
  /** The instance's per-token limit: an org's own may not exceed it. */
  readonly instanceRateLimitPerMinute: number;
}

/** Renames the org or sets its per-token rate limit (at most the instance's); audited with what changed. */
export class UpdateOrganization {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly settings: UpdateOrganizationSettings,
  ) {}

  async execute({
    caller,
    name,
    rateLimitPerMinute,
  }: UpdateOrganizationCommand): Promise<OrganizationRecord> {
    const changes: { -readonly [K in keyof OrganizationChanges]: OrganizationChanges[K] } = {};
    if (name !== undefined) changes.name = name.trim();
    if (rateLimitPerMinute !== undefined) {
      changes.rateLimitPerMinute = parseOrgRateLimit(
        rateLimitPerMinute,
        this.settings.instanceRateLimitPerMinute,
      );
    }
    return this.uow.transaction(caller.scope, async ({ organizations, audit }) => {
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
