import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import {
  NO_ADVISORY_DIAGNOSTICS,
  type ActorType,
  type AdvisoryDiagnosticsSummary,
  type FindingStatus,
  type VexJustification,
  type VexResponse,
  type VexState,
} from '@repoguard/domain';

/** As the domain ranks severities (compareSeverity); anything else ranks with UNKNOWN. */
export const SEVERITY_RANK_SQL = `case "severity" when 'CRITICAL' then 4 when 'HIGH' then 3 when 'MEDIUM' then 2 when 'LOW' then 1 else 0 end`;

/** Unique on repo + dependency identity + vulnerability: a retried or repeated scan never duplicates. */
@Entity({ tableName: 'findings' })
@Unique({
  name: 'findings_identity_unique',
  properties: ['repoId', 'ecosystem', 'packageName', 'version', 'manifestPath', 'vulnerabilityId'],
})
// org_id: the tenant filter's condition; with triage_expires_at (an expired ignore counts as open)
// and ecosystem, counting a repo's findings for the list reads only this index. Key columns, not
// INCLUDE: only then does PostgreSQL deduplicate it (22 pages against 197 for 20,000 findings).
@Index({
  name: 'findings_repo_id_status_severity_org_id_index',
  properties: ['repoId', 'status', 'severity', 'orgId', 'triageExpiresAt', 'ecosystem'],
})
@Index({ properties: ['repoId', 'firstSeen', 'id'] })
// The findings list's default order (most severe, then newest), with a status filter or without.
@Index({ properties: ['repoId', 'status', 'severityRank', 'firstSeen', 'id'] })
@Index({ properties: ['repoId', 'severityRank', 'firstSeen', 'id'] })
// The org-wide search: by package (compared case-insensitively) and by advisory id or alias.
@Index({
  name: 'findings_org_id_lower_package_name_index',
  expression:
    'create index "findings_org_id_lower_package_name_index" on "findings" ("org_id", lower("package_name"))',
})
@Index({ properties: ['orgId', 'vulnerabilityId'] })
@Index({
  name: 'findings_aliases_index',
  expression: 'create index "findings_aliases_index" on "findings" using gin ("aliases" jsonb_path_ops)',
})
export class FindingEntity {
  [OptionalProps]?:
    | 'status'
    | 'fixedAt'
    | 'triageStatus'
    | 'triageReason'
    | 'triageState'
    | 'triageJustification'
    | 'triageResponses'
    | 'triageExpiresAt'
    | 'triagedByType'
    | 'triagedById'
    | 'triagedAt'
    | 'advisoryDiagnostics'
    | 'summary'
    | 'severityRank';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  orgId!: string;

  @Property({ type: 'uuid' })
  repoId!: string;

  @Property({ type: 'string', length: 32 })
  ecosystem!: string;

  @Property({ type: 'text' })
  packageName!: string;

  @Property({ type: 'text' })
  version!: string;

  @Property({ type: 'text' })
  manifestPath!: string;

  @Property({ type: 'string', length: 128 })
  vulnerabilityId!: string;

  @Property({ type: 'json' })
  aliases!: string[];

  @Property({ type: 'string', length: 16 })
  severity!: string;

  /** The severity as a number to order by (CRITICAL 4 … UNKNOWN 0), kept by PostgreSQL. */
  @Property({ type: 'smallint', generated: `(${SEVERITY_RANK_SQL}) stored`, nullable: true })
  severityRank?: number;

  @Property({ type: 'double', nullable: true })
  cvssScore: number | null = null;

  @Property({ type: 'json' })
  fixedVersions!: string[];

  /** The advisory's one-line summary as last matched (bounded); null when it has none or before it was kept. */
  @Property({ type: 'text', nullable: true })
  summary: string | null = null;

  /** Events of the advisory not readable as written: counts per rule and a bounded sample. */
  @Property({ type: 'json', defaultRaw: `'{"total":0,"advisories":0,"byRule":{},"sample":[]}'` })
  advisoryDiagnostics: AdvisoryDiagnosticsSummary = NO_ADVISORY_DIAGNOSTICS;

  @Property({ type: 'string', length: 16 })
  status: FindingStatus = 'open';

  /** The last triage decision, kept while the finding is fixed or withdrawn: it applies again if it comes back. */
  @Property({ type: 'string', length: 16, nullable: true })
  triageStatus: 'open' | 'ignored' | null = null;

  /** The decision's detail (an ignore's reason, an impact statement). */
  @Property({ type: 'text', nullable: true })
  triageReason: string | null = null;

  /** The decision in VEX terms (VexAnalysis, detail in triageReason); null when reopened or never triaged. */
  @Property({ type: 'string', length: 16, nullable: true })
  triageState: VexState | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  triageJustification: VexJustification | null = null;

  @Property({ type: 'json', nullable: true })
  triageResponses: VexResponse[] | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  triageExpiresAt: Date | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  triagedByType: ActorType | null = null;

  @Property({ type: 'text', nullable: true })
  triagedById: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  triagedAt: Date | null = null;

  @Property({ type: 'uuid' })
  lastSnapshotId!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  firstSeen!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  lastSeen!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  fixedAt: Date | null = null;
}
