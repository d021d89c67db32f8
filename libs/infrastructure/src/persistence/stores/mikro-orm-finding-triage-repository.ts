import type { EntityManager } from '@mikro-orm/postgresql';
import type { FindingTriageRepository, TriageableFinding, TriageDecision } from '@repoguard/domain';
import { FindingEntity } from '../entities';

export class MikroOrmFindingTriageRepository implements FindingTriageRepository {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<TriageableFinding | null> {
    const finding = await this.em.findOne(FindingEntity, { id });
    return finding
      ? {
          id: finding.id,
          orgId: finding.orgId,
          repoId: finding.repoId,
          status: finding.status,
          vulnerabilityId: finding.vulnerabilityId,
          ecosystem: finding.ecosystem,
          packageName: finding.packageName,
          version: finding.version,
        }
      : null;
  }

  async decide(id: string, decision: TriageDecision): Promise<void> {
    const finding = await this.em.findOneOrFail(FindingEntity, { id });
    finding.status = decision.status;
    finding.triageReason = decision.reason;
    finding.triageExpiresAt = decision.expiresAt;
  }
}
