import {
  DEFAULT_POLICY,
  judgeFindings,
  snapshotCompleteness,
  verdictLapsesAt,
  type FindingRepository,
  type PolicyRepository,
  type PolicyStatus,
  type ScanRepository,
  type SnapshotRepository,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { SnapshotStepInput } from './scan-activity.types';

export interface EvaluatePolicyDeps {
  readonly policies: PolicyRepository;
  readonly findings: FindingRepository;
  readonly snapshots: SnapshotRepository;
  readonly scans: ScanRepository;
  readonly now: () => Date;
}

/** Judges the repo's findings with the org's current policy and records the verdict as its status. */
export function createEvaluatePolicyActivity({
  policies,
  findings,
  snapshots,
  scans,
  now,
}: EvaluatePolicyDeps) {
  return async function evaluatePolicy(
    input: SnapshotStepInput,
  ): Promise<
    | { status: PolicyStatus; policyVersion: number | null; reasons: number; supersededBy?: undefined }
    | { status: null; supersededBy: string }
  > {
    return asActivity(
      async (_cancelled, step) => {
        const started = Date.now();
        // A newer scan persisted its own snapshot after this scan's persist: its verdict is the one
        // that stands, and this scan must not become the repository's latest completed one.
        const newer = await scans.newerScanThan(input.scanId);
        if (newer) {
          await scans.supersede(input.scanId, now());
          return { status: null, supersededBy: newer };
        }
        step.stopIfCancelled();
        await scans.phase(input.scanId, 'EVALUATING');
        const policy = await policies.current(input.orgId);
        const [current, dependencies, manifests] = await Promise.all([
          findings.current(input.repoId),
          snapshots.dependencies(input.snapshotId),
          snapshots.manifests(input.snapshotId),
        ]);
        const at = now();
        const rules = policy?.rules ?? DEFAULT_POLICY;
        const evaluation = judgeFindings(rules, current, dependencies, at, snapshotCompleteness(manifests));
        step.stopIfCancelled();
        // Once per scan: a retry after a lost completion finds the first verdict stored and adds none.
        await scans.saveEvaluation({
          orgId: input.orgId,
          repoId: input.repoId,
          snapshotId: input.snapshotId,
          scanId: input.scanId,
          policyVersion: policy?.version ?? null,
          status: evaluation.status,
          reasons: evaluation.reasons,
        });
        await scans.recordPhase(input.scanId, 'evaluate', Date.now() - started);
        // Checked again with the completion, under the lock every findings sync takes.
        const { supersededBy } = await scans.completeUnlessSuperseded(
          input.scanId,
          input.repoId,
          evaluation.status,
          at,
          // The sweep judges the repository again when an ignore this verdict counted on lapses.
          verdictLapsesAt(rules, current, at),
          // A triage or policy change committed since these were read marks the repository due.
          { policyVersion: policy?.version ?? null, findings: current },
          // Told with the status change, when there is one.
          evaluation.reasons,
        );
        if (supersededBy) return { status: null, supersededBy };
        return {
          status: evaluation.status,
          policyVersion: policy?.version ?? null,
          reasons: evaluation.reasons.length,
        };
      },
      { ...input, step: 'evaluate' },
    );
  };
}
