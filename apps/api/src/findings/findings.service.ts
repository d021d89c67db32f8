import { Injectable } from '@nestjs/common';
import type { FilterQuery } from '@mikro-orm/core';
import {
  atLeast,
  ConflictError,
  isEcosystem,
  SEVERITIES,
  toPurl,
  ValidationError,
  type Severity,
} from '@repoguard/domain';
import { DependencyEntity, FindingEntity, recordAudit, VulnerabilityEntity } from '@repoguard/infrastructure';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf } from '../common/pagination';
import type { FindingListQuery, TriageBody } from './finding.dto';

@Injectable()
export class FindingsService {
  async list(access: RequestAccess, repoId: string, query: FindingListQuery) {
    const where: FilterQuery<FindingEntity> = { repoId };
    if (query.severity) {
      const threshold = query.severity.toUpperCase() as Severity;
      where.severity = { $in: SEVERITIES.filter((s) => atLeast(s, threshold)) };
    }
    if (query.status) where.status = query.status;
    if (query.ecosystem) where.ecosystem = query.ecosystem;
    if (query.package) where.packageName = query.package;
    const [findings, total] = await access.em.findAndCount(FindingEntity, where, {
      orderBy: { firstSeen: 'desc', id: 'asc' },
      limit: query.per_page,
      offset: offsetOf(query),
    });
    return pageOf(await this.views(access, findings), query, total);
  }

  async triage(access: RequestAccess, findingId: string, body: TriageBody) {
    const finding = await access.em.findOneOrFail(FindingEntity, { id: findingId });
    if (finding.status === 'fixed') {
      throw new ConflictError('FINDING_FIXED', 'This finding is fixed: there is nothing to triage', [
        { field: 'status', problem: 'the finding is fixed' },
      ]);
    }
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (body.status === 'ignored' && expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new ValidationError('expires_at must be in the future', [
        { field: 'expires_at', problem: 'must be in the future' },
      ]);
    }
    const previous = finding.status;
    finding.status = body.status;
    finding.triageReason = body.reason?.trim() ?? null;
    finding.triageExpiresAt = body.status === 'ignored' ? expiresAt : null;
    recordAudit(access.em, access.audit, {
      orgId: finding.orgId,
      action: body.status === 'ignored' ? 'finding.ignored' : 'finding.reopened',
      targetType: 'finding',
      targetId: finding.id,
      metadata: {
        from: previous,
        reason: finding.triageReason,
        expires_at: expiresAt?.toISOString() ?? null,
        vulnerability_id: finding.vulnerabilityId,
        package: `${finding.ecosystem}/${finding.packageName}@${finding.version}`,
      },
    });
    await access.em.flush();
    return (await this.views(access, [finding]))[0];
  }

  /** Two lookups for the whole page: vulnerability texts, and the dependencies for purl and directness. */
  private async views(access: RequestAccess, findings: FindingEntity[]) {
    if (findings.length === 0) return [];
    const [vulnerabilities, dependencies] = await Promise.all([
      access.em.find(
        VulnerabilityEntity,
        { id: { $in: [...new Set(findings.map((f) => f.vulnerabilityId))] } },
        { fields: ['id', 'aliases', 'summary', 'references'] },
      ),
      access.em.find(
        DependencyEntity,
        {
          snapshotId: { $in: [...new Set(findings.map((f) => f.lastSnapshotId))] },
          name: { $in: [...new Set(findings.map((f) => f.packageName))] },
        },
        { fields: ['snapshotId', 'manifestPath', 'name', 'version', 'direct', 'purl'] },
      ),
    ]);
    const vulnerability = new Map(vulnerabilities.map((v) => [v.id, v]));
    const dependency = new Map(
      dependencies.map((d) => [`${d.snapshotId}|${d.manifestPath}|${d.name}|${d.version}`, d]),
    );
    return findings.map((f) => {
      const v = vulnerability.get(f.vulnerabilityId);
      const d = dependency.get(`${f.lastSnapshotId}|${f.manifestPath}|${f.packageName}|${f.version}`);
      return {
        id: f.id,
        repo_id: f.repoId,
        status: f.status,
        severity: f.severity,
        cvss_score: f.cvssScore,
        vulnerability: {
          id: f.vulnerabilityId,
          aliases: f.aliases,
          summary: v?.summary ?? null,
          references: v?.references ?? [],
        },
        dependency: {
          ecosystem: f.ecosystem,
          name: f.packageName,
          version: f.version,
          purl: d?.purl ?? (isEcosystem(f.ecosystem) ? toPurl(f.ecosystem, f.packageName, f.version) : null),
          manifest_path: f.manifestPath,
          direct: d?.direct ?? null,
        },
        fixed_versions: f.fixedVersions,
        triage:
          f.status === 'ignored'
            ? { reason: f.triageReason, expires_at: f.triageExpiresAt?.toISOString() ?? null }
            : null,
        first_seen: f.firstSeen.toISOString(),
        last_seen: f.lastSeen.toISOString(),
        fixed_at: f.fixedAt?.toISOString() ?? null,
      };
    });
  }
}
