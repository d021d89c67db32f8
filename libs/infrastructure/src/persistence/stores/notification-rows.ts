import type {
  NotificationDelivery,
  NotificationDeliveryRecord,
  NotificationEvent,
  NotificationEventType,
  NotificationRule,
} from '@repoguard/domain';

// Rows as the driver has them: timestamps as Date or string, bigint as string, jsonb parsed.
type Time = Date | string;
const dateOf = (value: Time) => new Date(value);
const maybeDate = (value: Time | null) => (value === null ? null : new Date(value));

export interface EventRow {
  readonly id: string;
  readonly seq: string | number;
  readonly org_id: string;
  readonly repo_id: string | null;
  readonly repo_name: string | null;
  readonly type: NotificationEventType;
  readonly severity: string | null;
  readonly group_key: string;
  readonly scan_id: string | null;
  readonly payload: unknown;
  readonly occurred_at: Time;
}

export function eventOf(row: EventRow): NotificationEvent & { seq: number } {
  return {
    id: row.id,
    seq: Number(row.seq),
    org_id: row.org_id,
    repo_id: row.repo_id,
    repo_name: row.repo_name,
    type: row.type,
    severity: row.severity,
    group_key: row.group_key,
    scan_id: row.scan_id,
    occurred_at: dateOf(row.occurred_at),
    payload: row.payload,
  } as NotificationEvent & { seq: number };
}

/** The columns a rule is made of. */
export interface RuleColumns {
  readonly id: string;
  readonly org_id: string;
  readonly name: string;
  readonly channel_id: string;
  readonly events: NotificationRule['events'];
  readonly min_severity: NotificationRule['min_severity'];
  readonly repositories: NotificationRule['repositories'];
  readonly mode: NotificationRule['mode'];
  readonly digest: NotificationRule['digest'];
  readonly enabled: boolean;
}

export interface RuleRow extends RuleColumns {
  readonly created_by: string | null;
  readonly created_at: Time;
  readonly updated_at: Time;
}

export function ruleOf(row: RuleColumns): NotificationRule {
  return {
    id: row.id,
    org_id: row.org_id,
    name: row.name,
    channel_id: row.channel_id,
    events: row.events,
    min_severity: row.min_severity,
    repositories: row.repositories,
    mode: row.mode,
    digest: row.digest,
    enabled: row.enabled,
  };
}

export interface DeliveryRow {
  readonly id: string;
  readonly org_id: string;
  readonly channel_id: string | null;
  readonly channel_kind: NotificationDelivery['channel_kind'];
  readonly channel_name: string;
  readonly rule_ids: string[];
  readonly kind: NotificationDelivery['kind'];
  readonly group_key: string;
  readonly event_ids: string[];
  readonly event_total?: number | null;
  readonly status: NotificationDelivery['status'];
  readonly attempts: number;
  readonly last_error: string | null;
  readonly last_status_code: number | null;
  readonly next_attempt_at: Time | null;
  readonly workflow_started_at: Time | null;
  readonly created_at: Time;
  readonly updated_at: Time;
  readonly delivered_at: Time | null;
  readonly event_types?: NotificationEventType[] | null;
}

export function deliveryOf(row: DeliveryRow): NotificationDelivery {
  return {
    id: row.id,
    org_id: row.org_id,
    channel_id: row.channel_id,
    channel_kind: row.channel_kind,
    channel_name: row.channel_name,
    rule_ids: row.rule_ids,
    kind: row.kind,
    group_key: row.group_key,
    event_ids: row.event_ids,
    event_total: row.event_total ?? null,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    last_status_code: row.last_status_code,
    next_attempt_at: maybeDate(row.next_attempt_at),
    workflow_started_at: maybeDate(row.workflow_started_at),
    created_at: dateOf(row.created_at),
    updated_at: dateOf(row.updated_at),
    delivered_at: maybeDate(row.delivered_at),
  };
}

export function deliveryRecordOf(row: DeliveryRow): NotificationDeliveryRecord {
  return {
    ...deliveryOf(row),
    event_count: row.event_total ?? row.event_ids.length,
    event_types: [...(row.event_types ?? [])].sort(),
  };
}
