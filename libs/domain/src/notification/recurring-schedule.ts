import type { ErrorDetail } from '../errors';
import type { DigestSchedule } from './notification-rule';

/** When a digest is sent or an org's repositories are rescanned: daily or weekly, at an hour in a timezone. */
export type RecurringSchedule = DigestSchedule;

export const SCHEDULE_FREQUENCIES = ['daily', 'weekly'] as const;

/**
 * IANA's current names of zones that ICU still lists under an earlier one (Asia/Calcutta): the
 * Temporal server knows both, so both are taken.
 */
const CURRENT_NAMES_ICU_LISTS_UNDER_OLD_ONES = [
  'Africa/Asmara',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/Catamarca',
  'America/Argentina/Cordoba',
  'America/Argentina/Jujuy',
  'America/Argentina/Mendoza',
  'America/Atikokan',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
  'America/Nuuk',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Yangon',
  'Atlantic/Faroe',
  'Europe/Kyiv',
  'Pacific/Chuuk',
  'Pacific/Kanton',
  'Pacific/Pohnpei',
];

let canonical: ReadonlyMap<string, string> | undefined;

/** Every accepted name, keyed by its lower case (to say which one was meant). Built on first use. */
function canonicalTimeZones(): ReadonlyMap<string, string> {
  canonical ??= new Map(
    [...Intl.supportedValuesOf('timeZone'), 'UTC', ...CURRENT_NAMES_ICU_LISTS_UNDER_OLD_ONES].map((name) => [
      name.toLowerCase(),
      name,
    ]),
  );
  return canonical;
}

/**
 * Whether `name` is a canonical IANA timezone, spelt exactly. Not Intl's own check: it matches
 * names case-insensitively and knows retired ones (`utc`, `SystemV/AST4`), which the Temporal
 * server refuses, so a Schedule in such a zone could never be created.
 */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  return canonicalTimeZones().get(name.toLowerCase()) === name;
}

/** The canonical name `name` differs from only in case, if any: what the caller meant. */
export function timeZoneMeant(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const meant = canonicalTimeZones().get(name.toLowerCase());
  return meant === name ? undefined : meant;
}

function timeZoneProblem(name: unknown): string | null {
  if (isTimeZone(name)) return null;
  const meant = timeZoneMeant(name);
  return meant
    ? `must be an IANA timezone, spelt exactly: did you mean ${meant}?`
    : 'must be an IANA timezone such as Europe/Berlin';
}

/**
 * Every problem of a schedule as given (one per field, under `prefix`), none when it is valid: a
 * frequency, a whole hour 0–23, a canonical timezone, a weekday 0 (Sunday)–6 for weekly and none for daily.
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
  const timezone = timeZoneProblem(value['timezone']);
  if (timezone) problems.push({ field: field('timezone'), problem: timezone });
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
