import type { ScanRecord } from '@repoguard/domain';
import type { ApiConfig } from '../config/api.config';

// A scan answer stays small however many manifests broke; the snapshot lists every diagnostic.
const SCAN_DIAGNOSTICS_SHOWN = 20;

/**
 * A scan as the API shows it, with a link to its run in the Temporal Web UI. `complete: false`
 * (with the `diagnostics` why) when a manifest could not be read in full or none was found.
 */
export function scanView(
  scan: ScanRecord,
  config: Pick<ApiConfig, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>,
) {
  const ui = config.TEMPORAL_UI_URL.replace(/(?<!\/)\/+$/, '');
  const workflow = `${ui}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(scan.workflowId)}`;
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
    complete: scan.completeness?.complete ?? null,
    diagnostics: (scan.completeness?.diagnostics ?? []).slice(0, SCAN_DIAGNOSTICS_SHOWN).map((d) => ({
      path: d.path,
      code: d.code,
      message: d.message,
      line: d.line ?? null,
    })),
    phase_timings_ms: scan.phaseTimings,
    counts: scan.counts,
    error: scan.errorCode ? { code: scan.errorCode, message: scan.errorMessage } : null,
    workflow_id: scan.workflowId,
    run_id: scan.runId,
    temporal_ui_url: scan.runId ? `${workflow}/${encodeURIComponent(scan.runId)}/history` : workflow,
    created_at: scan.createdAt.toISOString(),
    started_at: scan.startedAt?.toISOString() ?? null,
    completed_at: scan.completedAt?.toISOString() ?? null,
    // What the policy said of this scan's snapshot when it ran; the repository's status may have moved since.
    verdict: scan.verdict
      ? {
          status: scan.verdict.status,
          policy_version: scan.verdict.policyVersion,
          reasons: scan.verdict.reasons,
          evaluated_at: scan.verdict.evaluatedAt.toISOString(),
        }
      : null,
  };
}
