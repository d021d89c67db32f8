import {
  DEFAULT_POLICY,
  judgeFindings,
  parsePolicy,
  type Clock,
  type PolicyReason,
  type PolicyRules,
  type RepoStatus,
  type Repository,
  type UnitOfWork,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

// Repositories read per round.
const PAGE = 100;

export interface DryRunPolicyCommand {
  readonly caller: OrgCaller;
  /** As given to UpdatePolicy: every invalid rule is named in POLICY_INVALID. */
  readonly rules: unknown;
}

export interface DryRunRepository {
  readonly repo: Repository;
  /**
   * The status the saved rules give it now, judged on the same scan: not the stored status,
   * which can predate an ignore that has since lapsed, so that a difference is the rules' alone.
   * The stored status when it has no completed scan.
   */
  readonly currentStatus: RepoStatus;
  /** The status saving the rules would give it: the current one when it has no completed scan. */
  readonly status: RepoStatus;
  /** False when nothing was judged (no completed scan yet): saving would not change it either. */
  readonly judged: boolean;
  readonly reasons: readonly PolicyReason[];
  readonly snapshotId: string | null;
}

export interface PolicyDryRun {
  readonly rules: PolicyRules;
  /** The saved version the rules would replace; null while the org has the default policy. */
  readonly currentVersion: number | null;
  readonly repositories: readonly DryRunRepository[];
}

/**
 * What saving `rules` would do to each of the org's repositories, without saving anything: the
 * same judgement UpdatePolicy's re-evaluation makes (judgeFindings over the newest completed
 * scan's findings, an ignore past its expiry counting as open), in one read-only unit of work.
 * It costs what saving costs (every repository's newest scan is read), so the API asks for the
 * permission to save, not to read.
 */
export class DryRunPolicy {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, rules: input }: DryRunPolicyCommand): Promise<PolicyDryRun> {
    const rules = parsePolicy(input, 'rules');
    return this.uow.read(caller.scope, async ({ repositories, policies, scannedState }) => {
      const saved = await policies.latest(caller.orgId);
      const savedRules = saved?.rules ?? DEFAULT_POLICY;
      const now = this.clock.now();
      const judged: DryRunRepository[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const { items } = await repositories.list(caller.orgId, {}, { limit: PAGE, offset });
        for (const repo of items) {
          const state = await scannedState.lastScanned(repo.id);
          if (!state) {
            judged.push({
              repo,
              currentStatus: repo.status,
              status: repo.status,
              judged: false,
              reasons: [],
              snapshotId: null,
            });
            continue;
          }
          const judge = (under: PolicyRules) =>
            judgeFindings(under, state.findings, state.dependencies, now, state.completeness);
          const evaluation = judge(rules);
          judged.push({
            repo,
            currentStatus: judge(savedRules).status,
            status: evaluation.status,
            judged: true,
            reasons: evaluation.reasons,
            snapshotId: state.snapshotId,
          });
        }
        if (items.length < PAGE) break;
      }
      return { rules, currentVersion: saved?.version ?? null, repositories: judged };
    });
  }
}
