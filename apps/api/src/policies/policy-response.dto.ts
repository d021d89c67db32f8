import { ApiProperty } from '@nestjs/swagger';
import type { RepoStatus } from '@repoguard/domain';

const REPO_STATUSES: readonly RepoStatus[] = ['OK', 'WARN', 'FAIL', 'PENDING', 'ERROR'];

const RULES = {
  type: 'object',
  additionalProperties: true,
  example: { schema_version: 1, fail_on_severity: 'HIGH', warn_on_severity: 'MEDIUM' },
} as const;

export class PolicyVersionDto {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty(RULES) rules!: object;
  @ApiProperty({ type: String, nullable: true }) created_by!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class CurrentPolicyDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: the default, never saved' })
  version!: number | null;
  @ApiProperty(RULES) rules!: object;
  @ApiProperty({ type: String, nullable: true }) created_by!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) created_at!: string | null;
  @ApiProperty() default!: boolean;
}

export class PoliciesDto {
  @ApiProperty({ type: CurrentPolicyDto }) current!: CurrentPolicyDto;
  @ApiProperty({ type: [PolicyVersionDto], description: 'Newest first' }) history!: PolicyVersionDto[];
}

export class PolicyReasonDto {
  @ApiProperty({ example: 'fail_on_severity' }) rule!: string;
  @ApiProperty({ enum: ['WARN', 'FAIL'] }) status!: 'WARN' | 'FAIL';
  @ApiProperty() message!: string;
  @ApiProperty({ type: [String], description: '`vulnerability@ecosystem/name@version` of each finding' })
  findings!: readonly string[];
}

export class PolicyEvaluationDto {
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ enum: ['OK', 'WARN', 'FAIL'] }) status!: 'OK' | 'WARN' | 'FAIL';
  @ApiProperty({ type: [PolicyReasonDto] }) reasons!: readonly PolicyReasonDto[];
  @ApiProperty({ type: 'integer', nullable: true }) policy_version!: number | null;
  @ApiProperty() dry_run!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) snapshot_id!: string | null;
}

export class PolicyDryRunRepoDto {
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ example: 'octo-org/payments' }) full_name!: string;
  @ApiProperty({
    enum: REPO_STATUSES,
    description:
      'The status the saved rules give the same newest scan now (the stored one when never scanned), so `changed` is the rules’ doing alone',
  })
  current_status!: RepoStatus;
  @ApiProperty({
    enum: REPO_STATUSES,
    description: 'The status saving the rules would give it (the current one when never scanned)',
  })
  status!: RepoStatus;
  @ApiProperty({ description: 'status differs from current_status' }) changed!: boolean;
  @ApiProperty({ description: 'false: no completed scan to judge, so saving would not change it' })
  judged!: boolean;
  @ApiProperty({ type: [PolicyReasonDto], description: 'Why, under the rules tried' })
  reasons!: readonly PolicyReasonDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The scan judged' })
  snapshot_id!: string | null;
}

export class PolicyDryRunDto {
  @ApiProperty({ ...RULES, description: 'The rules tried, as they would be saved' }) rules!: object;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The saved version they would replace; null: the default policy',
  })
  current_version!: number | null;
  @ApiProperty({ type: 'integer', description: 'Repositories whose status would change' })
  changed!: number;
  @ApiProperty({
    type: [PolicyDryRunRepoDto],
    description: 'Every repository of the org, those that would change first; nothing is saved',
  })
  items!: PolicyDryRunRepoDto[];
}
