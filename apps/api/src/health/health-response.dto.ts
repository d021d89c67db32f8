import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class DependencyHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiProperty({ type: Number, description: 'Milliseconds, to a tenth' }) latency_ms!: number;
  @ApiPropertyOptional({ description: 'Why it is down' }) error?: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/DependencyHealthDto' },
    description: 'By dependency: postgres, temporal, redis',
  })
  checks!: Record<string, DependencyHealthDto>;
}
