import { ApiProperty } from '@nestjs/swagger';
import { OpenFindingCountsDto } from '../repos/repo-response.dto';

export class RepositoriesByStatusDto {
  // snake_case like every field of the API; each is a status's name in lower case.
  @ApiProperty({ type: 'integer' }) fail!: number;
  @ApiProperty({ type: 'integer' }) warn!: number;
  @ApiProperty({ type: 'integer' }) ok!: number;
  @ApiProperty({ type: 'integer' }) pending!: number;
  @ApiProperty({ type: 'integer' }) error!: number;
}

export class SummaryReasonDto {
  @ApiProperty() rule!: string;
  @ApiProperty({ enum: ['WARN', 'FAIL'] }) status!: string;
  @ApiProperty() message!: string;
}

export class AttentionRepoDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() full_name!: string;
  @ApiProperty({ enum: ['FAIL', 'WARN'] }) status!: string;
  @ApiProperty({ type: OpenFindingCountsDto }) open_findings!: OpenFindingCountsDto;
  @ApiProperty({ type: [SummaryReasonDto], description: 'Why, under the current policy, judged now' })
  reasons!: SummaryReasonDto[];
}

export class AttentionDto {
  @ApiProperty({ type: 'integer', description: 'Failing and warning repositories in all' }) total!: number;
  @ApiProperty({ type: [AttentionRepoDto], description: 'FAIL first, then WARN; at most 50' })
  items!: AttentionRepoDto[];
}

export class SummaryRepositoriesDto {
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: RepositoriesByStatusDto }) by_status!: RepositoriesByStatusDto;
  @ApiProperty({ type: AttentionDto }) attention!: AttentionDto;
}

export class TrendPointDto extends OpenFindingCountsDto {
  @ApiProperty({ format: 'date', example: '2026-12-06' }) day!: string;
}

export class TrendDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({
    type: [TrendPointDto],
    description:
      'Open findings at the end of each UTC day, oldest first: each repository’s last count that day, or the day before’s when nothing changed',
  })
  points!: TrendPointDto[];
}

export class NewestFindingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty() repo_full_name!: string;
  @ApiProperty() severity!: string;
  @ApiProperty() vulnerability_id!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
  @ApiProperty() ecosystem!: string;
  @ApiProperty() package_name!: string;
  @ApiProperty() version!: string;
  @ApiProperty() manifest_path!: string;
  @ApiProperty({ type: [String] }) fixed_versions!: string[];
  @ApiProperty({ format: 'date-time' }) first_seen!: string;
}

export class RecentScanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty() repo_full_name!: string;
  @ApiProperty() status!: string;
  @ApiProperty() trigger!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['OK', 'WARN', 'FAIL'] }) verdict!: string | null;
  @ApiProperty({ type: String, nullable: true }) error_code!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completed_at!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'From start to completion' })
  duration_ms!: number | null;
}

export class OrgSummaryDto {
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ format: 'date-time' }) as_of!: string;
  @ApiProperty({ type: SummaryRepositoriesDto }) repositories!: SummaryRepositoriesDto;
  @ApiProperty({ type: OpenFindingCountsDto }) open_findings!: OpenFindingCountsDto;
  @ApiProperty({ type: TrendDto }) trend!: TrendDto;
  @ApiProperty({ type: [NewestFindingDto], description: 'Open CRITICAL findings, newest first; at most 5' })
  newest_critical_findings!: NewestFindingDto[];
  @ApiProperty({ type: [RecentScanDto], description: 'Newest first; at most 10' })
  recent_scans!: RecentScanDto[];
}
