import { Injectable } from '@nestjs/common';
import {
  atLeast,
  ConflictError,
  isEcosystem,
  SEVERITIES,
  toPurl,
  ValidationError,
  type Severity,
} from '@repoguard/domain';
import { FindingEntity, findingPage, recordAudit, type FindingRow } from '@repoguard/infrastructure';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf } from '../common/pagination';
import type { FindingListQuery, TriageBody } from './finding.dto';

@Injectable()
export class FindingsService {
  async list(access: RequestAccess, repoId: string, query: FindingListQuery) {
    const threshold = query.severity?.toUpperCase() as Severity | undefined;
    const { rows, total } = await findingPage(access.em, {
      repoId,
      ...(threshold ? { severities: SEVERITIES.filter((s) => atLeast(s, threshold)) } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.ecosystem ? { ecosystem: query.ecosystem } : {}),
      ...(query.package ? { packageName: query.package } : {}),
      limit: query.per_page,
      offset: offsetOf(query),
    });
    return pageOf(rows.map(findingView), query, total);
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
    const { rows } = await findingPage(access.em, {
      repoId: finding.repoId,
      findingId: finding.id,
      limit: 1,
      offset: 0,
    });
    return findingView(rows[0]!);
  }
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

function findingView(f: FindingRow) {
  return {
    id: f.id,
    repo_id: f.repo_id,
    status: f.status,
    severity: f.severity,
    cvss_score: f.cvss_score,
    vulnerability: {
      id: f.vulnerability_id,
      aliases: f.aliases,
      summary: f.summary,
      references: f.references ?? [],
    },
    dependency: {
      ecosystem: f.ecosystem,
      name: f.package_name,
      version: f.version,
      purl: f.purl ?? (isEcosystem(f.ecosystem) ? toPurl(f.ecosystem, f.package_name, f.version) : null),
      manifest_path: f.manifest_path,
      direct: f.direct,
    },
    fixed_versions: f.fixed_versions,
    triage: f.status === 'ignored' ? { reason: f.triage_reason, expires_at: iso(f.triage_expires_at) } : null,
    first_seen: iso(f.first_seen),
    last_seen: iso(f.last_seen),
    fixed_at: iso(f.fixed_at),
  };
}
