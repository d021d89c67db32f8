import { ApiProperty } from '@nestjs/swagger';
import {
  FINDING_STATUSES,
  SEVERITIES,
  VEX_JUSTIFICATIONS,
  VEX_RESPONSES,
  VEX_STATES,
} from '@repoguard/domain';
import { FindingAdvisoryDiagnosticsDto } from './finding-advisory-diagnostic.dto';

export class VulnerabilityReferenceDto {
  @ApiProperty({ example: 'ADVISORY' }) type!: string;
  @ApiProperty() url!: string;
}

export class FindingVulnerabilityDto {
  @ApiProperty({ example: 'GHSA-jf85-cpcp-j695' }) id!: string;
  @ApiProperty({ type: [String], example: ['CVE-2019-10744'] }) aliases!: string[];
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
  @ApiProperty({ type: [VulnerabilityReferenceDto] }) references!: VulnerabilityReferenceDto[];
}

export class FindingDependencyDto {
  @ApiProperty({ example: 'npm' }) ecosystem!: string;
  @ApiProperty() name!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ type: String, nullable: true }) purl!: string | null;
  @ApiProperty() manifest_path!: string;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null: the manifest does not say' })
  direct!: boolean | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The line of the manifest that declares it (null: the format does not say)',
  })
  line!: number | null;
}

export class TriageDeciderDto {
  @ApiProperty({ example: 'user', description: 'The actor type, as in the audit log' }) type!: string;
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
}

export class FindingTriageDto {
  @ApiProperty({ enum: ['ignored', 'open'], description: 'The decision (what holds now is `status`)' })
  status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({
    enum: [...VEX_STATES, null],
    nullable: true,
    description:
      'The decision as a VEX analysis while it holds (null once it lapsed, or when reopened); not_affected, false_positive and resolved leave the policy’s count',
  })
  state!: string | null;
  @ApiProperty({ enum: [...VEX_JUSTIFICATIONS, null], nullable: true, description: 'Only with not_affected' })
  justification!: string | null;
  @ApiProperty({ enum: VEX_RESPONSES, isArray: true, description: 'Only with exploitable' })
  responses!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The analysis’ detail (an ignore’s reason)' })
  detail!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at!: string | null;
  @ApiProperty({ type: TriageDeciderDto, nullable: true, description: 'Who decided' })
  decided_by!: TriageDeciderDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decided_at!: string | null;
}

export class FindingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({
    enum: FINDING_STATUSES,
    description: 'As it is now: an ignore past its expiry is open; withdrawn: its advisory was withdrawn',
  })
  status!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ type: Number, nullable: true, example: 9.8 }) cvss_score!: number | null;
  @ApiProperty({ type: FindingVulnerabilityDto }) vulnerability!: FindingVulnerabilityDto;
  @ApiProperty({ type: FindingDependencyDto }) dependency!: FindingDependencyDto;
  @ApiProperty({ type: [String] }) fixed_versions!: string[];
  @ApiProperty({ type: FindingAdvisoryDiagnosticsDto }) advisory_diagnostics!: FindingAdvisoryDiagnosticsDto;
  @ApiProperty({
    type: FindingTriageDto,
    nullable: true,
    description: 'The last triage decision, kept through a fix and a return; null when nobody triaged it',
  })
  triage!: FindingTriageDto | null;
  @ApiProperty({ format: 'date-time' }) first_seen!: string;
  @ApiProperty({ format: 'date-time' }) last_seen!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fixed_at!: string | null;
}

/** A findings list's page fields: by `page`, or by `cursor` (then no page number and no total). */
abstract class FindingListPageDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    nullable: true,
    description: 'null on a page asked for by `cursor`',
  })
  page!: number | null;
  @ApiProperty({ type: 'integer', minimum: 1 }) per_page!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: 'Findings across every page; null on a page asked for by `cursor`',
  })
  total!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Where the next page starts (give it as `cursor`, with the same sort and filters); null on the last page',
  })
  next_cursor!: string | null;
}

export class FindingPageDto extends FindingListPageDto {
  @ApiProperty({ type: [FindingDto] }) items!: FindingDto[];
}

export class FindingRepositoryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'octo-org/payments' }) full_name!: string;
}

/** A finding found across an org: which repository it is in. */
export class OrgFindingDto extends FindingDto {
  @ApiProperty({ type: FindingRepositoryDto }) repository!: FindingRepositoryDto;
}

export class OrgFindingPageDto extends FindingListPageDto {
  @ApiProperty({ type: [OrgFindingDto] }) items!: OrgFindingDto[];
}
