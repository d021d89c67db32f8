import type { AdvisoryDiagnosticsSummary } from '../advisory/advisory-diagnostics';
import type { CountedPage, PageRequest } from '../shared/page-request';

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
  readonly fixedVersions: string[];
  readonly advisoryDiagnostics: AdvisoryDiagnosticsSummary;
  /** The last triage decision, kept through a fix and a return; null when nobody triaged it. */
  readonly triageStatus: string | null;
  readonly triageReason: string | null;
  readonly triageExpiresAt: Date | null;
  readonly triagedByType: string | null;
  readonly triagedById: string | null;
  readonly triagedAt: Date | null;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly fixedAt: Date | null;
}

export interface FindingFilter {
  readonly repoId: string;
  readonly findingId?: string;
  readonly severities?: readonly string[];
  /** Matched as listed: `ignored` leaves out an ignore past its expiry, `open` takes it in. */
  readonly status?: string;
  readonly ecosystem?: string;
  readonly packageName?: string;
  /** The time expiries are judged at; now by default. */
  readonly asOf?: Date;
}

/** The findings read model: pages of a repository's findings, newest first. */
export interface FindingQueries {
  page(filter: FindingFilter, page: PageRequest): Promise<CountedPage<ListedFinding>>;
}
