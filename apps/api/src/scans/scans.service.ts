import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError } from '@repoguard/domain';
import { recordAudit, RepositoryEntity, ScanEntity, TemporalScanRequester } from '@repoguard/infrastructure';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf, type PageQuery } from '../common/pagination';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

@Injectable()
export class ScansService {
  private readonly logger = new Logger('Scans');
  constructor(
    private readonly requester: TemporalScanRequester,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Signals the repo's scan workflow (starting it if none runs), asks it which scan serves the
   * request, and records that scan as QUEUED with the audit row. Requests that join a scan someone
   * else asked for come back `deduplicated`.
   */
  async request(access: RequestAccess, repoId: string, ref: string | undefined) {
    const repo = await access.em.findOneOrFail(RepositoryEntity, { id: repoId });
    if (repo.disabledAt) {
      throw new ConflictError(
        'REPO_DISABLED',
        `${repo.owner}/${repo.name} is ${repo.disabledReason ?? 'disabled'}: it is not scanned`,
      );
    }
    const requestId = randomUUID();
    const requestedBy = `${access.audit.actorType}:${access.audit.actorId ?? 'unknown'}`;
    const receipt = await this.requester
      .request(
        { orgId: repo.orgId, repoId: repo.id, owner: repo.owner, name: repo.name },
        {
          trigger: 'api',
          requestedBy,
          requestId,
          ...(ref ? { ref } : {}),
          ...(access.audit.correlationId ? { correlationId: access.audit.correlationId } : {}),
        },
      )
      .catch((error: unknown) => {
        // Nothing was queued: the caller may retry safely (a repeated request joins the same scan).
        throw new DomainError(
          'unavailable',
          'TEMPORAL_UNAVAILABLE',
          `Could not queue the scan: Temporal did not accept it (${String(error)})`,
        );
      });
    const assignment = await this.requester.assignment(receipt, requestId).catch((error: unknown) => {
      this.logger.warn(
        `Could not ask ${receipt.workflowId} which scan serves request ${requestId}: ${String(error)}`,
      );
      return null;
    });
    const scanId = assignment?.scanId ?? null;
    const runId = assignment && assignment.servedByThisRun ? receipt.runId : null;

    const deduplicated = await access.em.transactional(async (tx) => {
      let inserted = 1;
      if (scanId) {
        const result = await tx
          .createQueryBuilder(ScanEntity)
          .insert({
            id: scanId,
            orgId: repo.orgId,
            repoId: repo.id,
            workflowId: receipt.workflowId,
            runId,
            trigger: 'api',
            requestedBy,
            ref: ref ?? null,
            status: 'QUEUED',
            phaseTimings: {},
            counts: {},
          })
          .onConflict('id')
          .ignore()
          .execute('run');
        inserted = result.affectedRows;
      }
      recordAudit(tx, access.audit, {
        orgId: repo.orgId,
        action: 'scan.requested',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          scan_id: scanId,
          workflow_id: receipt.workflowId,
          run_id: receipt.runId,
          ref: ref ?? null,
        },
      });
      await tx.flush();
      return inserted === 0;
    });
    return {
      scan_id: scanId,
      workflow_id: receipt.workflowId,
      run_id: runId ?? receipt.runId,
      status: 'QUEUED' as const,
      deduplicated,
    };
  }

  async list(access: RequestAccess, repoId: string, query: PageQuery) {
    const [scans, total] = await access.em.findAndCount(
      ScanEntity,
      { repoId },
      { orderBy: { createdAt: 'desc', id: 'asc' }, limit: query.per_page, offset: offsetOf(query) },
    );
    return pageOf(
      scans.map((s) => this.view(s)),
      query,
      total,
    );
  }

  async get(access: RequestAccess, scanId: string) {
    const scan = await access.em.findOne(ScanEntity, { id: scanId });
    if (!scan) throw new NotFoundError('SCAN_NOT_FOUND', `No scan with id ${scanId}`);
    return this.view(scan);
  }

  private view(scan: ScanEntity) {
    const ui = this.config.TEMPORAL_UI_URL.replace(/\/+$/, '');
    const workflow = `${ui}/namespaces/${encodeURIComponent(this.config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(scan.workflowId)}`;
    return {
      id: scan.id,
      org_id: scan.orgId,
      repo_id: scan.repoId,
      status: scan.status,
      trigger: scan.trigger,
      requested_by: scan.requestedBy,
      ref: scan.ref,
      commit_sha: scan.commitSha,
      snapshot_id: scan.snapshotId,
      phase_timings_ms: scan.phaseTimings,
      counts: scan.counts,
      error: scan.errorCode ? { code: scan.errorCode, message: scan.errorMessage } : null,
      workflow_id: scan.workflowId,
      run_id: scan.runId,
      temporal_ui_url: scan.runId ? `${workflow}/${encodeURIComponent(scan.runId)}/history` : workflow,
      created_at: scan.createdAt.toISOString(),
      started_at: scan.startedAt?.toISOString() ?? null,
      completed_at: scan.completedAt?.toISOString() ?? null,
    };
  }
}
