import { ValidationError, type ErrorDetail } from '../errors';
import { SEVERITIES, type Severity } from '../severity/severity.value-object';
import {
  isNotificationEventType,
  NOTIFICATION_EVENT_TYPES,
  type NotificationEventType,
} from './notification-event';
import type { DigestSchedule, NotificationRule, RepositorySelector } from './notification-rule';
import { isTimeZone, timeZoneMeant } from './recurring-schedule';

export const RULE_NAME_MAX = 100;
export const RULE_REPO_IDS_MAX = 500;
export const RULE_PATTERN_MAX = 200;
/** A mute is a pause, not a way to switch a rule off for a repository for good. */
export const MUTE_MAX_MS = 366 * 24 * 60 * 60 * 1000;

/** What a caller may set on a rule; every field optional for a PATCH. */
export interface NotificationRuleFields {
  readonly name: string;
  readonly channel_id: string;
  readonly events: readonly NotificationEventType[];
  readonly min_severity: Severity | null;
  readonly repositories: RepositorySelector;
  readonly mode: 'immediate' | 'digest';
  readonly digest: DigestSchedule | null;
  readonly enabled: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = ['name', 'channel_id', 'events', 'min_severity', 'repositories', 'mode', 'digest', 'enabled'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the zone is a canonical IANA name the workflow engine knows: the digest's hour is read in it. */
export const isIanaTimeZone = (value: string): boolean => isTimeZone(value);

/**
 * Reads a rule's fields from a request body (`required`: a new rule, else a PATCH), one detail
 * per bad field, all of them at once: a 400 (REQUEST_INVALID) that names every field to fix.
 */
export function parseNotificationRuleFields(
  body: unknown,
  required: boolean,
): Partial<NotificationRuleFields> {
  if (!isObject(body)) throw invalid([{ field: 'body', problem: 'must be a JSON object' }]);
  const details: ErrorDetail[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    if (!FIELDS.includes(key)) details.push({ field: key, problem: 'is not a rule field' });
  }
  const has = (key: string) => body[key] !== undefined;
  const need = (key: string) => {
    if (required && !has(key)) details.push({ field: key, problem: 'is required' });
    return has(key);
  };

  if (need('name')) {
    const name = body['name'];
    if (typeof name !== 'string' || name.trim().length === 0 || name.trim().length > RULE_NAME_MAX)
      details.push({ field: 'name', problem: `must be a string of 1 to ${RULE_NAME_MAX} characters` });
    else out['name'] = name.trim();
  }
  if (need('channel_id')) {
    const id = body['channel_id'];
    if (typeof id !== 'string' || !UUID.test(id))
      details.push({ field: 'channel_id', problem: 'must be a UUID' });
    else out['channel_id'] = id.toLowerCase();
  }
  if (need('events')) {
    const events = body['events'];
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      events.length > NOTIFICATION_EVENT_TYPES.length * 2
    ) {
      details.push({
        field: 'events',
        problem: `must be a non-empty list of ${NOTIFICATION_EVENT_TYPES.join(', ')}`,
      });
    } else {
      const unknown = events.findIndex((e) => !isNotificationEventType(e));
      if (unknown >= 0)
        details.push({
          field: `events[${unknown}]`,
          problem: `must be one of ${NOTIFICATION_EVENT_TYPES.join(', ')}`,
        });
      else out['events'] = [...new Set(events as NotificationEventType[])];
    }
  }
  if (has('min_severity')) {
    const severity = body['min_severity'];
    if (
      severity !== null &&
      !(typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity))
    )
      details.push({ field: 'min_severity', problem: `must be null or one of ${SEVERITIES.join(', ')}` });
    else out['min_severity'] = severity;
  } else if (required) out['min_severity'] = null;
  if (has('repositories')) {
    const selector = repositorySelector(body['repositories'], details);
    if (selector) out['repositories'] = selector;
  } else if (required) out['repositories'] = { kind: 'all' };
  if (has('mode')) {
    const mode = body['mode'];
    if (mode !== 'immediate' && mode !== 'digest')
      details.push({ field: 'mode', problem: 'must be immediate or digest' });
    else out['mode'] = mode;
  } else if (required) out['mode'] = 'immediate';
  if (has('digest')) {
    const digest = body['digest'] === null ? null : digestSchedule(body['digest'], details);
    if (digest !== undefined) out['digest'] = digest;
  }
  if (has('enabled')) {
    if (typeof body['enabled'] !== 'boolean')
      details.push({ field: 'enabled', problem: 'must be true or false' });
    else out['enabled'] = body['enabled'];
  } else if (required) out['enabled'] = true;

  if (details.length > 0) throw invalid(details);
  return out as Partial<NotificationRuleFields>;
}

/**
 * The rule a change leaves: a digest schedule exactly when the mode is digest (turning a rule into
 * an immediate one drops its schedule).
 */
export function applyNotificationRuleFields<T extends Omit<NotificationRule, 'id' | 'org_id'>>(
  current: T | null,
  fields: Partial<NotificationRuleFields>,
): Omit<NotificationRule, 'id' | 'org_id'> {
  const merged = { ...(current ?? {}), ...fields } as Omit<NotificationRule, 'id' | 'org_id'>;
  const mode = merged.mode;
  let digest = merged.digest ?? null;
  if (mode === 'digest' && digest === null)
    throw invalid([{ field: 'digest', problem: 'is required when mode is digest' }]);
  if (mode === 'immediate' && fields.digest) {
    throw invalid([{ field: 'digest', problem: 'must be null or absent when mode is immediate' }]);
  }
  if (mode === 'immediate') digest = null;
  return {
    name: merged.name,
    channel_id: merged.channel_id,
    events: merged.events,
    min_severity: merged.min_severity ?? null,
    repositories: merged.repositories,
    mode,
    digest,
    enabled: merged.enabled,
  };
}

/** A mute's end: an ISO 8601 time after `now`, at most about a year ahead. */
export function parseMuteUntil(value: unknown, now: Date): Date {
  const field = 'until';
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    throw invalid([{ field, problem: 'must be an ISO 8601 date-time' }]);
  const until = new Date(value);
  if (Number.isNaN(until.getTime())) throw invalid([{ field, problem: 'must be an ISO 8601 date-time' }]);
  if (until.getTime() <= now.getTime()) throw invalid([{ field, problem: 'must be in the future' }]);
  if (until.getTime() - now.getTime() > MUTE_MAX_MS)
    throw invalid([{ field, problem: 'must be at most a year ahead (disable the rule instead)' }]);
  return until;
}

function repositorySelector(value: unknown, details: ErrorDetail[]): RepositorySelector | null {
  const field = 'repositories';
  if (!isObject(value)) {
    details.push({
      field,
      problem: 'must be {kind: all}, {kind: list, repo_ids} or {kind: pattern, pattern}',
    });
    return null;
  }
  const extra = (allowed: string[]) => {
    const key = Object.keys(value).find((k) => !allowed.includes(k));
    if (key)
      details.push({
        field: `${field}.${key}`,
        problem: `is not a field of a ${String(value['kind'])} selector`,
      });
    return key !== undefined;
  };
  switch (value['kind']) {
    case 'all':
      return extra(['kind']) ? null : { kind: 'all' };
    case 'list': {
      if (extra(['kind', 'repo_ids'])) return null;
      const ids = value['repo_ids'];
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > RULE_REPO_IDS_MAX) {
        details.push({
          field: `${field}.repo_ids`,
          problem: `must be a list of 1 to ${RULE_REPO_IDS_MAX} repository ids`,
        });
        return null;
      }
      const bad = ids.findIndex((id) => typeof id !== 'string' || !UUID.test(id));
      if (bad >= 0) {
        details.push({ field: `${field}.repo_ids[${bad}]`, problem: 'must be a UUID' });
        return null;
      }
      return { kind: 'list', repo_ids: [...new Set((ids as string[]).map((id) => id.toLowerCase()))] };
    }
    case 'pattern': {
      if (extra(['kind', 'pattern'])) return null;
      const pattern = value['pattern'];
      if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > RULE_PATTERN_MAX) {
        details.push({
          field: `${field}.pattern`,
          problem: `must be a glob of 1 to ${RULE_PATTERN_MAX} characters (* and ?)`,
        });
        return null;
      }
      return { kind: 'pattern', pattern };
    }
    default:
      details.push({ field: `${field}.kind`, problem: 'must be all, list or pattern' });
      return null;
  }
}

function digestSchedule(value: unknown, details: ErrorDetail[]): DigestSchedule | undefined {
  const field = 'digest';
  if (!isObject(value)) {
    details.push({ field, problem: 'must be {frequency, hour, timezone, weekday} or null' });
    return undefined;
  }
  const before = details.length;
  const key = Object.keys(value).find((k) => !['frequency', 'hour', 'timezone', 'weekday'].includes(k));
  if (key) details.push({ field: `${field}.${key}`, problem: 'is not a digest field' });
  const { frequency, hour, timezone, weekday } = value;
  if (frequency !== 'daily' && frequency !== 'weekly')
    details.push({ field: `${field}.frequency`, problem: 'must be daily or weekly' });
  if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23)
    details.push({ field: `${field}.hour`, problem: 'must be a whole number from 0 to 23' });
  if (typeof timezone !== 'string' || !isIanaTimeZone(timezone)) {
    const meant = timeZoneMeant(timezone);
    details.push({
      field: `${field}.timezone`,
      problem: meant
        ? `must be an IANA time zone, spelt exactly: did you mean ${meant}?`
        : 'must be an IANA time zone such as Europe/Berlin',
    });
  }
  if (frequency === 'weekly') {
    if (typeof weekday !== 'number' || !Number.isInteger(weekday) || weekday < 0 || weekday > 6)
      details.push({
        field: `${field}.weekday`,
        problem: 'must be a whole number from 0 (Sunday) to 6 for a weekly digest',
      });
  } else if (weekday !== undefined && weekday !== null) {
    details.push({ field: `${field}.weekday`, problem: 'is only for a weekly digest' });
  }
  if (details.length > before) return undefined;
  return {
    frequency: frequency as 'daily' | 'weekly',
    hour: hour as number,
    timezone: timezone as string,
    ...(frequency === 'weekly' ? { weekday: weekday as number } : {}),
  };
}

function invalid(details: readonly ErrorDetail[]): ValidationError {
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new ValidationError(`Invalid notification rule: check ${fields}`, details, 'REQUEST_INVALID');
}
