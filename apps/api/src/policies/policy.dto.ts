import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, IsUUID, Length } from 'class-validator';

export class PutPolicyBody {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { schema_version: 1, fail_on_severity: 'CRITICAL', warn_on_severity: 'HIGH' },
    description: 'The rules; every invalid rule is named in the 422 answer',
  })
  @IsDefined({ message: 'is required' })
  rules!: unknown;
}

export class EvaluationQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  repo_id!: string;

  @ApiPropertyOptional({ description: 'Rules as JSON: a dry run of a policy before saving it' })
  @IsOptional()
  @IsString({ message: 'must be a JSON string' })
  @Length(2, 65_536, { message: 'must be 2 to 65536 characters' })
  rules?: string;
}
