import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrganizationChanges, OrganizationRecord, OrganizationRepository } from '@repoguard/domain';
import { OrganizationEntity } from '../entities';

const recordOf = (org: OrganizationEntity): OrganizationRecord => ({
  id: org.id,
  name: org.name,
  slug: org.slug,
  rateLimitPerMinute: org.rateLimitPerMinute,
  deletedAt: org.deletedAt,
  createdAt: org.createdAt,
});

export class MikroOrmOrganizationRepository implements OrganizationRepository {
  constructor(private readonly em: EntityManager) {}

  add(org: Pick<OrganizationRecord, 'name' | 'slug'>): OrganizationRecord {
    return recordOf(this.em.create(OrganizationEntity, { ...org }));
  }

  async get(id: string): Promise<OrganizationRecord | null> {
    const org = await this.em.findOne(OrganizationEntity, { id });
    return org ? recordOf(org) : null;
  }

  async listVisible(): Promise<OrganizationRecord[]> {
    const orgs = await this.em.find(OrganizationEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return orgs.map(recordOf);
  }

  async update(id: string, changes: OrganizationChanges): Promise<OrganizationRecord> {
    const org = await this.em.findOneOrFail(OrganizationEntity, { id });
    this.em.assign(org, changes);
    return recordOf(org);
  }

  async markDeleted(id: string, at: Date): Promise<OrganizationRecord> {
    const org = await this.em.findOneOrFail(OrganizationEntity, { id });
    org.deletedAt = at;
    return recordOf(org);
  }
}
