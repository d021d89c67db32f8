import type { VexAnalysis } from './vex-analysis';
import type { AdvisoryDiagnosticsSummary } from '../advisory/advisory-diagnostics';
import type { Severity } from '../severity/severity.value-object';
import type { PageRequest } from '../shared/page-request';

/** One finding as it is listed: its columns, its advisory's text and the dependency it was seen on. */
export interface ListedFinding {
  readonly id: string;
  readonly repoId: string;
  /** As it is now: an ignore past its expiry lists as open (effectiveFindingStatus). */
  readonly status: string;
  readonly severity: string;
  readonly cvssScore: number | null;
  readonly vulnerabilityId: string;
  readonly aliases: string[];
  readonly summary: string | null;
  readonly references: { type: string; url: string }[];
  readonly ecosystem: string;
  readonly packageName: string;
  readonly version: string;
  readonly manifestPath: string;
  readonly purl: string | null;
  readonly direct: boolean | null;
  /** 1-based line of the declaration in the manifest, where the format makes it known. */
  readonly line: number | null;
  readonly fixedVersions: string[];
  readonly advisoryDiagnostics: AdvisoryDiagnosticsSummary;
  /** The last triage decision, kept through a fix and a return; null when nobody triaged it. */
  readonly triageStatus: string | null;
  readonly triageReason: string | null;
  readonly triageExpiresAt: Date | null;
  readonly triagedByType: string | null;
  readonly triagedById: string | null;
  readonly triagedAt: Date | null;
  /**
   * The decision in VEX terms, while it holds (a lapsed decision has none); `triageReason` is its
   * detail.
   */
  readonly analysis: VexAnalysis | null;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly fixedAt: Date | null;
}

/** What a list of findings is ordered by; ties fall to the finding id, so pages never overlap. */
export const FINDING_SORT_KEYS = ['severity', 'package', 'first_seen'] as const;
export type FindingSortKey = (typeof FINDING_SORT_KEYS)[number];

export interface FindingSort {
  readonly key: FindingSortKey;
  readonly direction: 'asc' | 'desc';
}

export interface FindingFilter {
  /** One repository's findings, connected or not (a disconnected one keeps them). */
  readonly repoId?: string;
  /** Every connected repository of one org. */
  readonly orgId?: string;
  readonly findingId?: string;
  readonly severities?: readonly string[];
  /**
   * Any of these, matched as listed (`ignored` leaves out an ignore past its expiry, `open` takes it
   * in); absent: every status.
   */
  readonly statuses?: readonly string[];
  /** As stored (the canonical OSV ecosystem name). */
  readonly ecosystem?: string;
  /** Compared case-insensitively. */
  readonly packageName?: string;
  /** An advisory id: the finding's own or one of its aliases (a CVE is often an alias of a GHSA). */
  readonly advisory?: string;
  /** Default: most severe first, then newest. */
  readonly sort?: FindingSort;
  /** The time expiries are judged at; now by default. */
  readonly asOf?: Date;
}

/** A finding listed across an org's repositories: which repository it is in. */
export interface OrgListedFinding extends ListedFinding {
  readonly repoFullName: string;
}

/** Open findings of one repository by severity. */
export type SeverityCounts = Readonly<Record<Severity, number>>;

/**
 * Where a finding stands in the list's order (every sort key's value and the id): a page may start
 * just after it (keyset paging), which costs the same on the last page as on the first.
 */
export interface FindingPosition {
  readonly severityRank: number;
  /** As PostgreSQL wrote it: a Date would lose its microseconds. */
  readonly firstSeen: string;
  readonly packageName: string;
  readonly id: string;
}

export interface FindingPageRequest extends PageRequest {
  /** Start just after this finding rather than `offset` rows in (then 0). */
  readonly after?: FindingPosition;
  /** Count the whole list (default); false: `total` is null, and the page costs less. */
  readonly withTotal?: boolean;
}

/** One page, the size of the whole list when asked for, and where the next page starts (null: none). */
export interface FindingPage<T> {
  readonly items: T[];
  readonly total: number | null;
  readonly next: FindingPosition | null;
}

/** The findings read model: pages of findings, and counts. */
export interface FindingQueries {
  page(
    filter: FindingFilter & { readonly repoId: string },
    page: FindingPageRequest,
  ): Promise<FindingPage<ListedFinding>>;
  /** Across the connected repositories of `filter.orgId`. */
  search(
    filter: FindingFilter & { readonly orgId: string },
    page: FindingPageRequest,
  ): Promise<FindingPage<OrgListedFinding>>;
  /** Open findings by severity for each repository named (every severity present, 0 when none). */
  openCountsBySeverity(repoIds: readonly string[]): Promise<ReadonlyMap<string, SeverityCounts>>;
}
