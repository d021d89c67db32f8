import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ enum: ['user', 'api_key', 'system', 'webhook'] }) actor_type!: string;
  @ApiProperty({ type: String, nullable: true }) actor_id!: string | null;
  @ApiProperty({ example: 'repo.connected' }) action!: string;
  @ApiProperty() target_type!: string;
  @ApiProperty({ type: String, nullable: true }) target_id!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the action changed' })
  metadata!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) correlation_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for older rows' })
  next_cursor!: string | null;
}
