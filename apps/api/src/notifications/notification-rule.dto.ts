import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { NOTIFICATION_EVENT_TYPES, SEVERITIES } from '@repoguard/domain';

// The fields are only let through here: parseNotificationRuleFields (libs/domain) checks them all
// at once and names each bad one, the same for every entry point.
const SELECTOR_EXAMPLE = { kind: 'pattern', pattern: 'acme/*' };
const DIGEST_EXAMPLE = { frequency: 'weekly', hour: 9, timezone: 'Europe/Berlin', weekday: 1 };

export class CreateNotificationRuleBody {
  @ApiProperty({ maxLength: 100, example: 'criticals to #security' })
  @Allow()
  name!: unknown;

  @ApiProperty({ format: 'uuid', description: "One of the org's notification channels" })
  @Allow()
  channel_id!: unknown;

  @ApiProperty({
    enum: NOTIFICATION_EVENT_TYPES,
    isArray: true,
    example: ['finding.new', 'repo.status_changed'],
  })
  @Allow()
  events!: unknown;

  @ApiPropertyOptional({
    enum: SEVERITIES,
    nullable: true,
    description: 'Finding events below it are not sent',
  })
  @Allow()
  min_severity?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: SELECTOR_EXAMPLE,
    description:
      '{kind: all} (default), {kind: list, repo_ids: [...] (≤ 500)} or {kind: pattern, pattern: glob (≤ 200)}',
  })
  @Allow()
  repositories?: unknown;

  @ApiPropertyOptional({ enum: ['immediate', 'digest'], default: 'immediate' })
  @Allow()
  mode?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: DIGEST_EXAMPLE,
    description:
      'Required iff mode is digest: {frequency: daily|weekly, hour 0–23, timezone (IANA), weekday 0–6 for weekly}',
  })
  @Allow()
  digest?: unknown;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @Allow()
  enabled?: unknown;
}

/** Every field optional: only those given change. */
export class UpdateNotificationRuleBody {
  @ApiPropertyOptional({ maxLength: 100 }) @Allow() name?: unknown;
  @ApiPropertyOptional({ format: 'uuid' }) @Allow() channel_id?: unknown;
  @ApiPropertyOptional({ enum: NOTIFICATION_EVENT_TYPES, isArray: true }) @Allow() events?: unknown;
  @ApiPropertyOptional({ enum: [...SEVERITIES, null], nullable: true }) @Allow() min_severity?: unknown;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: SELECTOR_EXAMPLE })
  @Allow()
  repositories?: unknown;
  @ApiPropertyOptional({ enum: ['immediate', 'digest'] }) @Allow() mode?: unknown;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: DIGEST_EXAMPLE,
  })
  @Allow()
  digest?: unknown;
  @ApiPropertyOptional({ type: Boolean, description: 'false: the rule sends nothing until enabled again' })
  @Allow()
  enabled?: unknown;
}

export class MuteBody {
  @ApiProperty({ format: 'date-time', description: 'In the future, at most a year ahead' })
  @Allow()
  until!: unknown;
}
