import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { Severity } from '../severity/severity.value-object';

/** A vulnerability known to RepoGuard, cached from OSV. */
export interface Vulnerability {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly details: string | null;
  readonly severity: Severity;
  readonly cvssScore: number | null;
  readonly cvssVector: string | null;
  readonly references: readonly { readonly type: string; readonly url: string }[];
  readonly modified: string;
}

export type FindingStatus = 'open' | 'fixed' | 'ignored';

/**
 * One vulnerability in one dependency of one repository. Identity: repo + ecosystem + name +
 * version + manifest path + vulnerability id, so re-running a scan never duplicates it.
 */
export interface Finding {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly version: string;
  readonly manifestPath: string;
  readonly vulnerabilityId: string;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly fixedVersions: readonly string[];
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly fixedAt: Date | null;
}
