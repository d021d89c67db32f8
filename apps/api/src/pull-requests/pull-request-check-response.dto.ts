import { ApiProperty } from '@nestjs/swagger';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/** One vulnerability on one dependency, as the base or the head of a pull request has it. */
export class PullRequestFindingDto {
  @ApiProperty({ example: 'GHSA-jf85-cpcp-j695' }) vulnerability_id!: string;
  @ApiProperty({ type: [String] }) aliases!: readonly string[];
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ example: 'npm' }) ecosystem!: string;
  @ApiProperty({ example: 'lodash' }) package_name!: string;
  @ApiProperty({ example: '4.17.11' }) version!: string;
  @ApiProperty({ example: 'package-lock.json' }) manifest_path!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: '1-based line of the declaration' })
  line!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The lowest version above this one that fixes it',
  })
  fixed_in!: string | null;
  @ApiProperty() direct!: boolean;
}

/** What the pull request changes in the repository's exposure, and the policy on what it adds. */
export class PullRequestComparisonDto {
  @ApiProperty() base_commit_sha!: string;
  @ApiProperty() head_commit_sha!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The default branch's scan compared with; null when the base commit was read for the check",
  })
  base_scan_id!: string | null;
  @ApiProperty({ type: [String], description: 'Manifests and lock files whose content differs' })
  manifests_changed!: readonly string[];
  @ApiProperty({ type: [PullRequestFindingDto] }) introduced!: readonly PullRequestFindingDto[];
  @ApiProperty({ type: [PullRequestFindingDto] }) resolved!: readonly PullRequestFindingDto[];
  @ApiProperty({
    type: [PullRequestFindingDto],
    description: 'Introduced findings under a risk acceptance in force: reported, not counted',
  })
  accepted!: readonly PullRequestFindingDto[];
  @ApiProperty({ enum: ['OK', 'WARN', 'FAIL'] }) status!: string;
  @ApiProperty({ type: [String] }) reasons!: readonly string[];
  @ApiProperty({ type: [String], description: 'Changed manifests of the head not read in full' })
  incomplete!: readonly string[];
}

export class PullRequestCheckDto {
  @ApiProperty({ format: 'uuid' }) check_id!: string;
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ type: 'integer' }) pr_number!: number;
  @ApiProperty() head_sha!: string;
  @ApiProperty() base_ref!: string;
  @ApiProperty({ type: String, nullable: true }) base_sha!: string | null;
  @ApiProperty({ enum: ['queued', 'in_progress', 'completed', 'superseded', 'failed'] }) state!: string;
  @ApiProperty({ enum: ['failure', 'neutral', 'success', null], nullable: true })
  conclusion!: string | null;
  @ApiProperty({ enum: ['check_run', 'commit_status', null], nullable: true })
  delivery!: string | null;
  @ApiProperty({ type: String, nullable: true }) check_run_id!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'MANIFEST_TOO_LARGE' }) error_code!: string | null;
  @ApiProperty() requested_by!: string;
  @ApiProperty({ format: 'date-time' }) requested_at!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completed_at!: string | null;
  @ApiProperty({ type: PullRequestComparisonDto, nullable: true })
  comparison!: PullRequestComparisonDto | null;
}

export class PullRequestCheckListDto {
  @ApiProperty({ type: [PullRequestCheckDto], description: 'Newest request first; at most 100' })
  items!: readonly PullRequestCheckDto[];
}
