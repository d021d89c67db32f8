import type { AdvisoryDiagnosticsSummary } from '../advisory/advisory-diagnostics';
import type { CountedPage, PageRequest } from '../shared/page-request';

/** One finding as it is listed: its columns, its advisory's text and the dependency it was seen on. */
export interface ListedFinding {
  readonly id: string;
  readonly repoId: string;
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
  readonly triageReason: string | null;
  readonly triageExpiresAt: Date | null;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly fixedAt: Date | null;
}

export interface FindingFilter {
  readonly repoId: string;
  readonly findingId?: string;
  readonly severities?: readonly string[];
  readonly status?: string;
  readonly ecosystem?: string;
  readonly packageName?: string;
}

/** The findings read model: pages of a repository's findings, newest first. */
export interface FindingQueries {
  page(filter: FindingFilter, page: PageRequest): Promise<CountedPage<ListedFinding>>;
}
