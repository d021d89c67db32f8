import {
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
  /** The status stored now, as the repository list shows it. */
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
          const evaluation = judgeFindings(
            rules,
            state.findings,
            state.dependencies,
            now,
            state.completeness,
          );
          judged.push({
            repo,
            currentStatus: repo.status,
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
