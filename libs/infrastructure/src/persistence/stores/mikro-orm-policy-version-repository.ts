import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewPolicyVersion, PolicyVersion, PolicyVersionRepository } from '@repoguard/domain';
import { PolicyEntity } from '../entities';

const versionOf = (policy: PolicyEntity): PolicyVersion => ({
  orgId: policy.orgId,
  version: policy.version,
  rules: policy.rules,
  createdBy: policy.createdBy,
  createdAt: policy.createdAt,
});

export class MikroOrmPolicyVersionRepository implements PolicyVersionRepository {
  constructor(private readonly em: EntityManager) {}

  async latest(orgId: string): Promise<PolicyVersion | null> {
    const policy = await this.em.findOne(PolicyEntity, { orgId }, { orderBy: { version: 'desc' } });
    return policy ? versionOf(policy) : null;
  }

  async history(orgId: string): Promise<PolicyVersion[]> {
    const versions = await this.em.find(PolicyEntity, { orgId }, { orderBy: { version: 'desc' } });
    return versions.map(versionOf);
  }

  add(version: NewPolicyVersion): PolicyVersion {
    return versionOf(this.em.create(PolicyEntity, { ...version }));
  }
}
