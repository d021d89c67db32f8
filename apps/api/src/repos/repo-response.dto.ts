import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../common/page.dto';
import { REPO_STATUSES } from './repo.dto';

export class RepoDisabledDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

/** Open findings by severity, and their total. */
export class OpenFindingCountsDto {
  @ApiProperty({ type: 'integer' }) critical!: number;
  @ApiProperty({ type: 'integer' }) high!: number;
  @ApiProperty({ type: 'integer' }) medium!: number;
  @ApiProperty({ type: 'integer' }) low!: number;
  @ApiProperty({ type: 'integer' }) unknown!: number;
  @ApiProperty({ type: 'integer' }) total!: number;
}

export class RepoDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ enum: ['github', 'git', 'sbom'], description: '`sbom`: a project fed by SBOM uploads' })
  provider!: string;
  @ApiProperty() owner!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'octo-org/payments' }) full_name!: string;
  @ApiProperty() default_branch!: string;
  @ApiProperty({ enum: REPO_STATUSES }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_scan_at!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "GitHub's repository id" })
  github_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) git_url!: string | null;
  @ApiProperty({ type: String, nullable: true }) installation_id!: string | null;
  @ApiProperty({ type: RepoDisabledDto, nullable: true, description: 'Not scanned while set' })
  disabled!: RepoDisabledDto | null;
  @ApiProperty({ type: OpenFindingCountsDto }) open_findings!: OpenFindingCountsDto;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class RepoPageDto extends PageDto {
  @ApiProperty({ type: [RepoDto] }) items!: RepoDto[];
}
