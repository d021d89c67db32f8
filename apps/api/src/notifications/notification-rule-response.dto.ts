import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  NOTIFICATION_EVENT_TYPES,
  SEVERITIES,
  type NotificationEventType,
  type Severity,
} from '@repoguard/domain';

export class RepositorySelectorDto {
  @ApiProperty({ enum: ['all', 'list', 'pattern'] }) kind!: 'all' | 'list' | 'pattern';
  @ApiPropertyOptional({ type: [String], description: 'kind list: the repositories' }) repo_ids?: string[];
  @ApiPropertyOptional({ description: 'kind pattern: a glob on owner/name (* and ?)' }) pattern?: string;
}

export class DigestScheduleDto {
  @ApiProperty({ enum: ['daily', 'weekly'] }) frequency!: 'daily' | 'weekly';
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23 }) hour!: number;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 6, description: 'Weekly: 0 is Sunday' })
  weekday?: number;
}

export class NotificationRuleMuteDto {
  @ApiProperty({ format: 'uuid' }) repo_id!: string;
  @ApiProperty({ format: 'date-time' }) until!: string;
  @ApiProperty({ description: 'Whether the mute still holds' }) active!: boolean;
  @ApiProperty({ type: String, nullable: true }) created_by!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class NotificationRuleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) channel_id!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENT_TYPES, isArray: true }) events!: NotificationEventType[];
  @ApiProperty({ enum: [...SEVERITIES, null], nullable: true }) min_severity!: Severity | null;
  @ApiProperty({ type: RepositorySelectorDto }) repositories!: RepositorySelectorDto;
  @ApiProperty({ enum: ['immediate', 'digest'] }) mode!: 'immediate' | 'digest';
  @ApiProperty({ type: DigestScheduleDto, nullable: true }) digest!: DigestScheduleDto | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [NotificationRuleMuteDto] }) mutes!: NotificationRuleMuteDto[];
  @ApiProperty({ type: String, nullable: true }) created_by!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class NotificationRulesDto {
  @ApiProperty({ type: [NotificationRuleDto] }) items!: NotificationRuleDto[];
}
