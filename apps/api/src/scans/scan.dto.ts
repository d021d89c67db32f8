import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class RequestScanBody {
  @ApiPropertyOptional({
    example: 'main',
    description: 'Branch, tag or commit SHA; default: the default branch',
  })
  @IsOptional()
  @IsString({ message: 'must be a string' })
  @Length(1, 255, { message: 'must be 1 to 255 characters' })
  // git check-ref-format's rules, in short: no spaces, control characters, "..", "@{", "~^:?*[\\", a leading "-" or a part ending in ".lock".
  @Matches(/^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock(?:\/|$))[^\s~^:?*[\\\p{Cc}]+(?<![./])$/u, {
    message: 'must be a valid git ref',
  })
  ref?: string;
}

/** GET .../scan-requests/{request_id}: what became of one scan request. */
export class ScanRequestStatusDto {
  @ApiProperty({ format: 'uuid' })
  request_id!: string;

  @ApiProperty({ format: 'uuid' })
  repo_id!: string;

  @ApiProperty({
    enum: ['pending', 'relayed', 'gave_up'],
    description:
      '`pending`: waiting for Temporal; `relayed`: Temporal took it; `gave_up`: refused too often or too long, or the repository was disabled first (see `last_error`)',
  })
  state!: 'pending' | 'relayed' | 'gave_up';

  @ApiProperty({ type: 'integer', description: 'Failed tries to hand it to Temporal' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  last_error!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "The scan serving it, when the API learnt it; else see the repository's scans",
  })
  scan_id!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  relayed_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  gave_up_at!: string | null;
}
