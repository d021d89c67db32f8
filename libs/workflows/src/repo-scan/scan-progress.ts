import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  RepoGuardCommit,
  RepoGuardStatus,
  type RepoScanResult,
  type ScanPhase,
  type ScanStatusView,
} from '@repoguard/contract';

export type PolicyStatus = RepoScanResult['policyStatus'];

/**
 * Where one scan stands, told three ways: the status query, the search attributes the Web UI and
 * the API filter on, and the current details a person reads in the Web UI.
 */
export class ScanProgress {
  private phase: ScanPhase = 'QUEUED';
  private commitSha: string | null = null;
  private errorCode: string | null = null;
  private readonly counts: Record<string, number> = {};

  enter(next: ScanPhase): void {
    this.phase = next;
    upsertSearchAttributes([{ key: RepoGuardStatus, value: next }]);
    setCurrentDetails(`**${next}**${this.commitSha ? ` at \`${this.commitSha.slice(0, 12)}\`` : ''}`);
  }

  atCommit(commitSha: string): void {
    this.commitSha = commitSha;
    upsertSearchAttributes([{ key: RepoGuardCommit, value: commitSha }]);
  }

  count(name: 'manifests' | 'dependencies' | 'vulnerabilities' | 'findings' | 'fixed', value: number): void {
    this.counts[name] = value;
  }

  completed(policyStatus: NonNullable<PolicyStatus>): void {
    this.enter('COMPLETED');
    setCurrentDetails(
      `**COMPLETED**: ${policyStatus}, ${this.counts['findings']} open finding(s) at \`${(this.commitSha ?? '').slice(0, 12)}\``,
    );
  }

  /** The code shows in the status at once, the FAILED phase once `record` has stored the failure. */
  async failed(errorCode: string, message: string, record: () => Promise<unknown>): Promise<void> {
    this.errorCode = errorCode;
    await record();
    this.enter('FAILED');
    setCurrentDetails(`**FAILED**: ${errorCode}: ${message}`);
  }

  view(): Pick<ScanStatusView, 'phase' | 'commitSha' | 'counts' | 'errorCode'> {
    return {
      phase: this.phase,
      commitSha: this.commitSha,
      counts: { ...this.counts },
      errorCode: this.errorCode,
    };
  }
}
