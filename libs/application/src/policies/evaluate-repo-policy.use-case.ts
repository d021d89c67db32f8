import {
  ConflictError,
  DEFAULT_POLICY,
  judgeFindings,
  parsePolicy,
  ValidationError,
  type Clock,
  type PolicyEvaluation,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { repoNotFound } from '../repositories/get-repository.use-case';

export interface EvaluateRepoPolicyCommand {
  readonly caller: OrgCaller;
  readonly repoId: string;
  /** Rules (as JSON) to try instead of the saved policy: a dry run before saving them. */
  readonly rulesJson?: string;
}

export interface RepoPolicyEvaluation extends PolicyEvaluation {
  readonly repoId: string;
  /** The saved version judged; null for a dry run or the default policy. */
  readonly policyVersion: number | null;
  readonly dryRun: boolean;
  readonly snapshotId: string;
}

/** The repository's status under the current policy (or rules to try), computed now. */
export class EvaluateRepoPolicy {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  execute({ caller, repoId, rulesJson }: EvaluateRepoPolicyCommand): Promise<RepoPolicyEvaluation> {
    return this.uow.read(caller.scope, async ({ repositories, policies, scannedState }) => {
      const repo = await repositories.get(repoId);
      if (!repo || repo.orgId !== caller.orgId) throw repoNotFound(repoId);
      const dryRun = rulesJson !== undefined;
      const saved = dryRun ? null : await policies.latest(caller.orgId);
      const rules = dryRun ? parsePolicy(parseJson(rulesJson), 'rules') : (saved?.rules ?? DEFAULT_POLICY);
      const state = await scannedState.lastScanned(repo.id);
      if (!state) {
        throw new ConflictError('REPO_NOT_SCANNED', 'The repository has no completed scan to evaluate yet');
      }
      const evaluation = judgeFindings(
        rules,
        state.findings,
        state.dependencies,
        this.clock.now(),
        state.completeness,
      );
      return {
        ...evaluation,
        repoId: repo.id,
        policyVersion: saved?.version ?? null,
        dryRun,
        snapshotId: state.snapshotId,
      };
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(
      'rules is not valid JSON',
      [{ field: 'rules', problem: 'must be a JSON object' }],
      'REQUEST_INVALID',
    );
  }
}
