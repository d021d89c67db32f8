import type { PolicyStatus } from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { createBeginRematchActivity } from './begin-rematch.activity';
import type { createEvaluatePolicyActivity } from './evaluate-policy.activity';
import type { createOsvQueryActivity } from './osv-query.activity';
import type { createPersistActivity } from './persist.activity';
import type { RematchSnapshotInput } from './scan-activity.types';

/** The steps a re-match is made of, each as its own activity would run it. */
export interface RematchSnapshotSteps {
  readonly beginRematch: ReturnType<typeof createBeginRematchActivity>;
  readonly osvQuery: ReturnType<typeof createOsvQueryActivity>;
  readonly persist: ReturnType<typeof createPersistActivity>;
  readonly evaluatePolicy: ReturnType<typeof createEvaluatePolicyActivity>;
}

export type RematchSnapshotResult =
  | {
      readonly commitSha: string;
      readonly snapshotId: string;
      readonly vulnerabilities: number;
      readonly open: number;
      readonly fixed: number;
      readonly status: PolicyStatus;
      readonly superseded?: undefined;
    }
  | { readonly commitSha: string; readonly snapshotId: string; readonly superseded: true };

/**
 * A whole re-match in one activity: open the scan on the repository's newest snapshot, match it
 * again, persist, judge. As four activities it cost the repository's workflow about six workflow
 * tasks and their history (with search-attribute upserts) per re-match: during a sync of thousands
 * of repositories those shared the workflow thread and the Temporal server with the pushes people
 * wait for, and doubled a push's latency. Each step records its own phase on the scan row, as
 * before; a step that finds a newer scan persisted ends the re-match SUPERSEDED. Cancelled (a push
 * to the repository came), it stops before its next step's writes. A retry starts over: opening,
 * persisting and judging are idempotent per scan id, and matching resumes only from progress it
 * reported for the same snapshot.
 */
export function createRematchSnapshotActivity(steps: RematchSnapshotSteps) {
  return async function rematchSnapshot(input: RematchSnapshotInput): Promise<RematchSnapshotResult> {
    return asActivity(async (_cancelled, step) => {
      const { freshAdvisories, ...begin } = input;
      const ref = {
        scanId: input.scanId,
        orgId: input.orgId,
        repoId: input.repoId,
        ...(input.correlationId ? { correlationId: input.correlationId } : {}),
      };
      const { commitSha, snapshotId } = await steps.beginRematch(begin);
      step.stopIfCancelled();
      const matched = await steps.osvQuery({
        ...ref,
        snapshotId,
        ...(freshAdvisories ? { freshAdvisories: true } : {}),
      });
      step.stopIfCancelled();
      const persisted = await steps.persist({ ...ref, snapshotId });
      if (persisted.supersededBy) return { commitSha, snapshotId, superseded: true };
      step.stopIfCancelled();
      const evaluated = await steps.evaluatePolicy({ ...ref, snapshotId });
      if (evaluated.status === null) return { commitSha, snapshotId, superseded: true };
      return {
        commitSha,
        snapshotId,
        vulnerabilities: matched.vulnerabilities,
        open: persisted.open,
        fixed: persisted.fixed,
        status: evaluated.status,
      };
    }, input);
  };
}
