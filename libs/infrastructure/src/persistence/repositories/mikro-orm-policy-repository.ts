import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicyRepository, PolicyRules } from '@repoguard/domain';
import { PolicyEntity } from '../entities';

export class MikroOrmPolicyRepository implements PolicyRepository {
  constructor(private readonly em: EntityManager) {}

  async current(orgId: string): Promise<{ version: number; rules: PolicyRules } | null> {
    const policy = await this.em.fork().findOne(PolicyEntity, { orgId }, { orderBy: { version: 'desc' } });
    return policy ? { version: policy.version, rules: policy.rules } : null;
  }
}
