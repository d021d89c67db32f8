import type { ErrorDetail } from '../errors';
import type { DigestSchedule } from './notification-rule';

/** When a digest is sent or an org's repositories are rescanned: daily or weekly, at an hour in a timezone. */
export type RecurringSchedule = DigestSchedule;

export const SCHEDULE_FREQUENCIES = ['daily', 'weekly'] as const;

/**
 * Whether `name` is an IANA timezone this runtime knows (Intl is part of the language, not Node).
 * Temporal's server resolves the same names from its own tz database.
 */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every problem of a schedule as given (one per field, under `prefix`), none when it is valid: a
 * frequency, a whole hour 0–23, a known timezone, a weekday 0 (Sunday)–6 for weekly and none for daily.
 */
export function recurringScheduleProblems(input: unknown, prefix = ''): ErrorDetail[] {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [{ field: prefix || 'schedule', problem: 'must be an object' }];
  const value = input as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  const frequency = value['frequency'];
  if (!(SCHEDULE_FREQUENCIES as readonly unknown[]).includes(frequency))
    problems.push({ field: field('frequency'), problem: 'must be one of daily, weekly' });
  const hour = value['hour'];
  if (!Number.isInteger(hour) || (hour as number) < 0 || (hour as number) > 23)
    problems.push({ field: field('hour'), problem: 'must be a whole number from 0 to 23' });
  if (!isTimeZone(value['timezone']))
    problems.push({ field: field('timezone'), problem: 'must be an IANA timezone such as Europe/Berlin' });
  const weekday = value['weekday'];
  if (frequency === 'weekly') {
    if (!Number.isInteger(weekday) || (weekday as number) < 0 || (weekday as number) > 6)
      problems.push({ field: field('weekday'), problem: 'must be a whole number from 0 (Sunday) to 6' });
  } else if (weekday !== undefined && weekday !== null) {
    problems.push({ field: field('weekday'), problem: 'must be absent unless frequency is weekly' });
  }
  return problems;
}

/** The schedule with only its own fields (a weekday only when weekly). Call after the problems are none. */
export function recurringSchedule(input: RecurringSchedule): RecurringSchedule {
  return {
    frequency: input.frequency,
    hour: input.hour,
    timezone: input.timezone,
    ...(input.frequency === 'weekly' && input.weekday !== undefined ? { weekday: input.weekday } : {}),
  };
}
