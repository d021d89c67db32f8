import { SEVERITIES } from '../severity/severity.value-object';
import type { SeverityCounts } from './finding-queries.port';

/** How much the org's open findings moved on one UTC day (YYYY-MM-DD), per severity. */
export interface OpenFindingChange {
  readonly day: string;
  readonly counts: SeverityCounts;
}

/** The org's open findings at the end of one UTC day. */
export interface OpenFindingPoint {
  readonly day: string;
  readonly counts: SeverityCounts;
}

const DAY_MS = 86_400_000;

/** `at`'s UTC day as YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The UTC day `days` before (or after, when negative) `day`. */
export const dayBefore = (day: string, days = 1): string =>
  utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS));

/** The `count` UTC days ending with `at`'s, oldest first. */
export function lastDays(at: Date, count: number): { from: string; to: string } {
  const to = utcDay(at);
  return { from: dayBefore(to, count - 1), to };
}

const zero = (): Record<keyof SeverityCounts, number> =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<keyof SeverityCounts, number>;

/**
 * One point per day from `from` to `to`: the changes summed up to that day, so a day without a
 * scan or a decision carries the day before's value (no job has to write a row every day).
 * Changes dated before `from` are where the window starts; those after `to` are left out.
 */
export function carryForward(
  changes: readonly OpenFindingChange[],
  from: string,
  to: string,
): OpenFindingPoint[] {
  const running = zero();
  const byDay = new Map<string, SeverityCounts[]>();
  for (const change of changes) {
    if (change.day < from) for (const s of SEVERITIES) running[s] += change.counts[s];
    else byDay.set(change.day, [...(byDay.get(change.day) ?? []), change.counts]);
  }
  const points: OpenFindingPoint[] = [];
  for (let day = from; day <= to; day = dayBefore(day, -1)) {
    for (const counts of byDay.get(day) ?? []) for (const s of SEVERITIES) running[s] += counts[s];
    points.push({ day, counts: { ...running } });
  }
  return points;
}
