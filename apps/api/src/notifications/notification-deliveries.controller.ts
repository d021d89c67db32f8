import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { GetNotificationDelivery, ListNotificationDeliveries } from '@repoguard/application';
import {
  deliveryIdempotencyKey,
  NOTIFICATION_DELIVERY_STATUSES,
  type NotificationDeliveryRecord,
  type NotificationDeliveryStatus,
} from '@repoguard/domain';
import { Access, Requires } from '../access/access.decorator';
import { orgCallerOf } from '../access/caller';
import type { RequestAccess } from '../common/api-request';
import { offsetOf, pageOf, PageQuery } from '../common/pagination';
import { requireUuid } from '../common/request-input';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { NotificationDeliveryDto, NotificationDeliveryPageDto } from './notification-delivery-response.dto';

export class NotificationDeliveryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_DELIVERY_STATUSES, {
    message: `must be one of ${NOTIFICATION_DELIVERY_STATUSES.join(', ')}`,
  })
  status?: NotificationDeliveryStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  channel_id?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  rule_id?: string;
}

const deliveryView = (d: NotificationDeliveryRecord): NotificationDeliveryDto => ({
  id: d.id,
  org_id: d.org_id,
  kind: d.kind,
  status: d.status,
  channel_id: d.channel_id,
  channel_kind: d.channel_kind,
  channel_name: d.channel_name,
  rule_ids: [...d.rule_ids],
  event_count: d.event_count,
  event_types: [...d.event_types],
  idempotency_key: deliveryIdempotencyKey(d.id),
  attempts: d.attempts,
  last_error: d.last_error,
  last_status_code: d.last_status_code,
  next_attempt_at: d.next_attempt_at?.toISOString() ?? null,
  workflow_started_at: d.workflow_started_at?.toISOString() ?? null,
  created_at: d.created_at.toISOString(),
  updated_at: d.updated_at.toISOString(),
  delivered_at: d.delivered_at?.toISOString() ?? null,
});

@ApiTags('notifications')
@ApiBadRequestResponse({ type: ErrorBodyDto })
@Controller('orgs/:org_id/notification-deliveries')
export class NotificationDeliveriesController {
  constructor(
    private readonly listDeliveries: ListNotificationDeliveries,
    private readonly getDelivery: GetNotificationDelivery,
  ) {}

  @Get()
  @Requires('audit.read', 'org_param')
  @ApiOkResponse({ type: NotificationDeliveryPageDto, description: 'The delivery log, newest first' })
  async list(
    @Access() access: RequestAccess,
    @Query() query: NotificationDeliveryQuery,
  ): Promise<NotificationDeliveryPageDto> {
    const { items, total } = await this.listDeliveries.execute({
      caller: orgCallerOf(access),
      ...(query.status ? { status: query.status } : {}),
      ...(query.channel_id ? { channelId: query.channel_id.toLowerCase() } : {}),
      ...(query.rule_id ? { ruleId: query.rule_id.toLowerCase() } : {}),
      offset: offsetOf(query),
      limit: query.per_page,
    });
    return pageOf(items.map(deliveryView), query, total);
  }

  @Get(':delivery_id')
  @Requires('audit.read', 'org_param')
  @ApiOkResponse({ type: NotificationDeliveryDto })
  async get(
    @Access() access: RequestAccess,
    @Param('delivery_id') deliveryId: string,
  ): Promise<NotificationDeliveryDto> {
    return deliveryView(
      await this.getDelivery.execute({
        caller: orgCallerOf(access),
        deliveryId: requireUuid(deliveryId, 'delivery_id'),
      }),
    );
  }
}
