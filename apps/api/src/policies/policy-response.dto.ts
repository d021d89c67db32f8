import { ApiProperty } from '@nestjs/swagger';

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
