import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RescanScheduleDto {
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ enum: ['daily', 'weekly'] }) frequency!: 'daily' | 'weekly';
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 }) hour!: number;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 6, description: 'Weekly only' })
  weekday?: number;
  @ApiProperty({
    example: 'org-rescan:6c1f…',
    description:
      'The Temporal Schedule that runs it (Web UI → Schedules); in place within seconds of a change',
  })
  temporal_schedule_id!: string;
  @ApiProperty({ type: String, nullable: true }) updated_by!: string | null;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}
