import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { NewRiskAcceptance, RiskAcceptance, RiskAcceptanceRepository } from '@repoguard/domain';
import { RiskAcceptanceEntity } from '../entities';

const acceptanceOf = (e: RiskAcceptanceEntity): RiskAcceptance => ({
  id: e.id,
  orgId: e.orgId,
  repoId: e.repoId,
  vulnerabilityId: e.vulnerabilityId,
  ecosystem: e.ecosystem,
  packageName: e.packageName,
  reason: e.reason,
  acceptedBy: e.acceptedBy,
  expiresAt: e.expiresAt,
  createdAt: e.createdAt,
});

/** `risk_acceptances`: one per repository, vulnerability and package; reads are tenant-scoped. */
export class MikroOrmRiskAcceptanceRepository implements RiskAcceptanceRepository {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  async accept(acceptance: NewRiskAcceptance): Promise<RiskAcceptance> {
    const db = this.db();
    const [row] = (await db('risk_acceptances')
      .insert({
        id: acceptance.id,
        org_id: acceptance.orgId,
        repo_id: acceptance.repoId,
        vulnerability_id: acceptance.vulnerabilityId,
        ecosystem: acceptance.ecosystem,
        package_name: acceptance.packageName,
        reason: acceptance.reason,
        accepted_by: acceptance.acceptedBy,
        expires_at: acceptance.expiresAt,
      })
      .onConflict(['repo_id', 'vulnerability_id', 'ecosystem', 'package_name'])
      .merge({
        reason: acceptance.reason,
        accepted_by: acceptance.acceptedBy,
        expires_at: acceptance.expiresAt,
        updated_at: db.fn.now(),
      })
      .returning('id')) as { id: string }[];
    const found = await this.em
      .fork({ keepTransactionContext: true, clear: true })
      .findOneOrFail(RiskAcceptanceEntity, { id: row!.id });
    return acceptanceOf(found);
  }

  async inForce(repoId: string, now: Date): Promise<RiskAcceptance[]> {
    const rows = await this.em
      .fork({ keepTransactionContext: true, clear: true })
      .find(
        RiskAcceptanceEntity,
        { repoId, expiresAt: { $gt: now } },
        { orderBy: { vulnerabilityId: 'asc', packageName: 'asc' } },
      );
    return rows.map(acceptanceOf);
  }
}
