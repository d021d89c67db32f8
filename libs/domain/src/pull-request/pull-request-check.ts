import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { PolicyStatus } from '../policy/evaluate-policy';
import type { Severity } from '../severity/severity.value-object';

/** The `pull_request` actions that ask for a check of the head commit; the others are ignored. */
export const PULL_REQUEST_CHECK_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;
export type PullRequestCheckAction = (typeof PULL_REQUEST_CHECK_ACTIONS)[number];

/** GitHub's check-run conclusions RepoGuard gives: FAIL, WARN and OK on what the change adds. */
export type CheckConclusion = 'failure' | 'neutral' | 'success';

export const conclusionOf = (status: PolicyStatus): CheckConclusion =>
  status === 'FAIL' ? 'failure' : status === 'WARN' ? 'neutral' : 'success';

/**
 * How the result reaches the pull request: a check run through the GitHub App's installation token,
 * or a commit status for repositories reached through an org token (which cannot create check runs).
 */
export type CheckDelivery = 'check_run' | 'commit_status';

/** queued → in_progress → completed; a newer head supersedes; `failed` once retries ran out. */
export type PullRequestCheckState = 'queued' | 'in_progress' | 'completed' | 'superseded' | 'failed';

/** One vulnerability on one dependency, as the base or the head of a pull request has it. */
export interface PullRequestFinding {
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly severity: Severity;
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly version: string;
  readonly manifestPath: string;
  /** 1-based line of the declaration in the manifest or lock file, where the format makes it known. */
  readonly line: number | null;
  /** The lowest version that fixes it on the dependency's line, when the advisory names one. */
  readonly fixedIn: string | null;
  readonly direct: boolean;
}

/**
 * What a pull request changes in the repository's exposure: compared on the manifests it touches,
 * against the base branch's latest completed scan (or the base commit, scanned when there is none).
 * `introduced` are in the head and not the base; `resolved` the other way round. `accepted` are
 * introduced findings under a risk acceptance in force: reported, but they do not count.
 */
export interface PullRequestComparison {
  readonly baseCommitSha: string;
  readonly headCommitSha: string;
  /** The base branch scan compared with; null when the base commit was read for this check. */
  readonly baseScanId: string | null;
  /** Manifest and lock file paths whose content differs between base and head (sorted). */
  readonly manifestsChanged: readonly string[];
  readonly introduced: readonly PullRequestFinding[];
  readonly resolved: readonly PullRequestFinding[];
  readonly accepted: readonly PullRequestFinding[];
  /** The org's policy on the introduced findings (the accepted ones as ignored). */
  readonly status: PolicyStatus;
  readonly reasons: readonly string[];
  /** Manifests of the head that could not be read in full: the verdict is at least WARN. */
  readonly incomplete: readonly string[];
}

/** One check of one head commit of one pull request, as RepoGuard keeps it. */
export interface PullRequestCheckRecord {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly prNumber: number;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string | null;
  readonly state: PullRequestCheckState;
  readonly conclusion: CheckConclusion | null;
  readonly delivery: CheckDelivery | null;
  /** GitHub's id of the check run, once created (delivery `check_run`). */
  readonly checkRunId: string | null;
  readonly comparison: PullRequestComparison | null;
  readonly errorCode: string | null;
  readonly requestedBy: string;
  /** When it was last asked for (a rerequest moves it): the workflow checks the newest request. */
  readonly requestedAt: Date;
  /**
   * When a `pull_request` delivery last named this commit as the pull request's head (a rerequest
   * does not move it): the pull request's newest head is the check with the latest.
   */
  readonly headAt: Date;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}
