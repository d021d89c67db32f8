import { ApiProperty } from '@nestjs/swagger';
import {
  NOTIFICATION_CHANNEL_KINDS,
  NOTIFICATION_DELIVERY_STATUSES,
  NOTIFICATION_EVENT_TYPES,
  type NotificationDeliveryStatus,
  type NotificationEventType,
} from '@repoguard/domain';
import { PageDto } from '../common/page.dto';

export class NotificationDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty({ enum: ['immediate', 'digest', 'test'] }) kind!: string;
  @ApiProperty({
    enum: NOTIFICATION_DELIVERY_STATUSES,
    description:
      'pending: not tried yet; sending: tried and retried later (next_attempt_at); delivered; failed: refused for good or retries exhausted; skipped: the channel was deleted',
  })
  status!: NotificationDeliveryStatus;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null once the channel is deleted',
  })
  channel_id!: string | null;
  @ApiProperty({ enum: NOTIFICATION_CHANNEL_KINDS }) channel_kind!: string;
  @ApiProperty() channel_name!: string;
  @ApiProperty({ type: [String], description: 'The rules that selected the events' }) rule_ids!: string[];
  @ApiProperty({ type: 'integer', minimum: 0 }) event_count!: number;
  @ApiProperty({ enum: NOTIFICATION_EVENT_TYPES, isArray: true }) event_types!: NotificationEventType[];
  @ApiProperty({ description: 'With the channel, the idempotency key receivers may dedupe by' })
  idempotency_key!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) last_status_code!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_attempt_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) workflow_started_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) delivered_at!: string | null;
}

export class NotificationDeliveryPageDto extends PageDto {
  @ApiProperty({ type: [NotificationDeliveryDto] }) items!: NotificationDeliveryDto[];
}
