import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { ECOSYSTEMS, FINDING_STATUSES, SEVERITIES, type FindingStatus } from '@repoguard/domain';
import { PageQuery } from '../common/pagination';

const LOWER_SEVERITIES = SEVERITIES.map((s) => s.toLowerCase());

export class FindingListQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: LOWER_SEVERITIES,
    description: 'This severity and above: high = HIGH and CRITICAL',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(LOWER_SEVERITIES, { message: `must be one of ${LOWER_SEVERITIES.join(', ')}` })
  severity?: string;

  @ApiPropertyOptional({
    enum: FINDING_STATUSES,
    description:
      'As the finding is now: an ignore past its expiry is open; withdrawn: its advisory was withdrawn',
  })
  @IsOptional()
  @IsIn(FINDING_STATUSES, { message: `must be one of ${FINDING_STATUSES.join(', ')}` })
  status?: FindingStatus;

  @ApiPropertyOptional({ enum: ECOSYSTEMS })
  @IsOptional()
  @IsIn(ECOSYSTEMS, { message: `must be one of ${ECOSYSTEMS.join(', ')}` })
  ecosystem?: string;

  @ApiPropertyOptional({ description: 'Exact package name' })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 300, { message: 'must be 1 to 300 characters' })
  package?: string;
}

export class TriageBody {
  @ApiProperty({ enum: ['ignored', 'open'] })
  @IsIn(['ignored', 'open'], { message: 'must be ignored or open' })
  status!: 'ignored' | 'open';

  @ApiPropertyOptional({ description: 'Required when ignoring: why this finding does not matter' })
  @ValidateIf((body: TriageBody) => body.status === 'ignored' || body.reason !== undefined)
  @IsString({ message: 'must be a string (required when status is ignored)' })
  @Length(1, 1000, { message: 'must be 1 to 1000 characters' })
  reason?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The ignore decision lapses then' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  expires_at?: string;
}
