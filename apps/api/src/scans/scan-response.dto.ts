import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageDto } from '../common/page.dto';
import { PolicyReasonDto } from '../policies/policy-response.dto';

const SCAN_STATUSES = [
  'QUEUED',
  'FETCHING',
  'PARSING',
  'MATCHING',
  'PERSISTING',
  'EVALUATING',
  'COMPLETED',
  'FAILED',
  'SUPERSEDED',
];

/** Milliseconds per step, as each finished; the same step names as the phase label of the metrics. */
export class ScanPhaseTimingsDto {
  @ApiPropertyOptional({ type: 'integer' }) fetch?: number;
  @ApiPropertyOptional({ type: 'integer' }) parse?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Matching against the advisories (OSV)' })
  match?: number;
  @ApiPropertyOptional({ type: 'integer' }) persist?: number;
  @ApiPropertyOptional({ type: 'integer' }) evaluate?: number;
}

/** What each step counted, as it finished. */
export class ScanCountsDto {
  @ApiPropertyOptional({ type: 'integer', description: 'Manifests found (fetch)' }) manifests?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Manifest files not stored before (fetch)' })
  blobs_downloaded?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Dependencies read (parse)' }) dependencies?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Distinct packages looked up (match)' })
  queried?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Vulnerabilities that affect them (match)' })
  vulnerabilities?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Advisory records read (match)' }) fetched?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Open findings after the scan (persist)' })
  findings?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Findings this scan closed: fixed, or withdrawn with their advisory (persist)',
  })
  fixed_findings?: number;
}

export class ScanErrorDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
}

/** Why a scan did not read everything: one manifest's error, or no manifest at all. */
export class ScanDiagnosticDto {
  @ApiProperty({ type: String, nullable: true, description: 'The manifest; null for NO_MANIFESTS' })
  path!: string | null;
  @ApiProperty({ example: 'INVALID_SYNTAX' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'integer', nullable: true }) line!: number | null;
}

/** The policy's verdict stored for the scan's snapshot. */
export class ScanVerdictDto {
  @ApiProperty({ enum: ['OK', 'WARN', 'FAIL'] }) status!: string;
  @ApiProperty({ type: 'integer', nullable: true }) policy_version!: number | null;
  @ApiProperty({ type: [PolicyReasonDto] }) reasons!: readonly PolicyReasonDto[];
  @ApiProperty({ format: 'date-time' }) evaluated_at!: string;
}

export class ScanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ enum: SCAN_STATUSES, description: 'The step it is in, or how it ended' }) status!: string;
  @ApiProperty({ enum: ['api', 'push', 'schedule', 'advisory'] }) trigger!: string;
  @ApiProperty({ type: String, nullable: true }) requested_by!: string | null;
  @ApiProperty({ type: String, nullable: true }) ref!: string | null;
  @ApiProperty({ type: String, nullable: true }) commit_sha!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) snapshot_id!: string | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'False when a manifest could not be read in full or none was found; null before a snapshot',
  })
  complete!: boolean | null;
  @ApiProperty({ type: [ScanDiagnosticDto], description: 'Why it is incomplete (the first 20)' })
  diagnostics!: ScanDiagnosticDto[];
  @ApiProperty({ type: ScanPhaseTimingsDto }) phase_timings_ms!: ScanPhaseTimingsDto;
  @ApiProperty({ type: ScanCountsDto }) counts!: ScanCountsDto;
  @ApiProperty({ type: ScanErrorDto, nullable: true }) error!: ScanErrorDto | null;
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ type: String, nullable: true }) run_id!: string | null;
  @ApiProperty({ description: 'The run (or the workflow) in the Temporal Web UI' }) temporal_ui_url!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
  @ApiProperty({ type: ScanVerdictDto, nullable: true, description: 'Null until its policy step stored one' })
  verdict!: ScanVerdictDto | null;
}

export class ScanPageDto extends PageDto {
  @ApiProperty({ type: [ScanDto] }) items!: ScanDto[];
}

export class ScanRequestedDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) scan_id!: string | null;
  @ApiProperty({ format: 'uuid' }) request_id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ type: String, nullable: true }) run_id!: string | null;
  @ApiProperty({ enum: ['QUEUED', 'PENDING'] }) status!: 'QUEUED' | 'PENDING';
  @ApiProperty({ description: 'Joined a scan already asked for' }) deduplicated!: boolean;
}
