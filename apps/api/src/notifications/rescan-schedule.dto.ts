import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsTimeZone, Max, Min, ValidateIf } from 'class-validator';

export class PutRescanScheduleBody {
  @ApiProperty({ enum: ['daily', 'weekly'] })
  @IsIn(['daily', 'weekly'], { message: 'must be one of daily, weekly' })
  frequency!: 'daily' | 'weekly';

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23, description: 'The hour in `timezone`' })
  @IsInt({ message: 'must be a whole number from 0 to 23' })
  @Min(0, { message: 'must be a whole number from 0 to 23' })
  @Max(23, { message: 'must be a whole number from 0 to 23' })
  hour!: number;

  @ApiProperty({ example: 'Europe/Berlin', description: 'An IANA timezone' })
  @IsString({ message: 'must be an IANA timezone such as Europe/Berlin' })
  @IsTimeZone({ message: 'must be an IANA timezone such as Europe/Berlin' })
  timezone!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 6,
    description: 'Weekly only (and required then): 0 Sunday … 6 Saturday',
  })
  @ValidateIf((body: PutRescanScheduleBody) => body.frequency === 'weekly' || body.weekday !== undefined)
  @IsInt({ message: 'must be a whole number from 0 (Sunday) to 6' })
  @Min(0, { message: 'must be a whole number from 0 (Sunday) to 6' })
  @Max(6, { message: 'must be a whole number from 0 (Sunday) to 6' })
  weekday?: number;
}
