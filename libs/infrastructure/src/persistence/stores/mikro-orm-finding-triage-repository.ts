import type { EntityManager } from '@mikro-orm/postgresql';
import {
  isSeverity,
  type FindingTriageRepository,
  type LapsedIgnore,
  type TriageableFinding,
  type TriageDecision,
  type VexAnalysis,
} from '@repoguard/domain';
import { FindingEntity } from '../entities';
import { decidedBy } from '../repositories/mikro-orm-finding-repository';

export class MikroOrmFindingTriageRepository implements FindingTriageRepository {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<TriageableFinding | null> {
    // From the database, not the identity map: read again once the repository's lock is held, it
    // must see a sync that closed the finding meanwhile.
    const finding = await this.em.findOne(FindingEntity, { id }, { refresh: true });
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
          triageExpiresAt: finding.status === 'ignored' ? finding.triageExpiresAt : null,
          analysis: storedAnalysis(finding),
          decisionExpiresAt: finding.triageState ? finding.triageExpiresAt : null,
        }
      : null;
  }

  async decide(id: string, decision: TriageDecision): Promise<void> {
    const finding = await this.em.findOneOrFail(FindingEntity, { id });
    this.em.assign(finding, {
      status: decision.status,
      triageStatus: decision.status,
      triageReason: decision.reason,
      triageState: decision.analysis?.state ?? null,
      triageJustification: decision.analysis?.justification ?? null,
      triageResponses: decision.analysis ? [...decision.analysis.responses] : null,
      triageExpiresAt: decision.expiresAt,
      triagedByType: decision.decidedBy.actorType,
      triagedById: decision.decidedBy.actorId,
      triagedAt: decision.decidedAt,
    });
    // The re-evaluation in the same transaction reads the findings back.
    await this.em.flush();
  }

  async lapseExpiredIgnores(repoId: string, now: Date): Promise<LapsedIgnore[]> {
    const lapsed = await this.em.find(FindingEntity, {
      repoId,
      status: 'ignored',
      triageExpiresAt: { $lte: now },
    });
    if (lapsed.length === 0) return [];
    for (const finding of lapsed) finding.status = 'open';
    await this.em.flush();
    return lapsed.map((f) => ({
      id: f.id,
      vulnerabilityId: f.vulnerabilityId,
      ecosystem: f.ecosystem,
      packageName: f.packageName,
      version: f.version,
      expiresAt: f.triageExpiresAt!,
      manifestPath: f.manifestPath,
      aliases: f.aliases,
      severity: isSeverity(f.severity) ? f.severity : 'UNKNOWN',
      fixedVersions: f.fixedVersions,
      summary: f.summary,
      reason: f.triageReason,
      decidedBy: decidedBy({ triaged_by_type: f.triagedByType, triaged_by_id: f.triagedById }),
    }));
  }
}

/** The analysis of the finding's last decision as stored (its detail is the triage reason). */
function storedAnalysis(finding: FindingEntity): VexAnalysis | null {
  return finding.triageState
    ? {
        state: finding.triageState,
        justification: finding.triageJustification,
        responses: finding.triageResponses ?? [],
        detail: finding.triageReason,
      }
    : null;
}
