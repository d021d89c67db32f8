import { isTimeZone, recurringSchedule, recurringScheduleProblems } from './recurring-schedule';

describe('recurring schedules', () => {
  it('accepts daily and weekly schedules at an hour in a known timezone', () => {
    expect(recurringScheduleProblems({ frequency: 'daily', hour: 0, timezone: 'UTC' })).toEqual([]);
    expect(
      recurringScheduleProblems({ frequency: 'weekly', hour: 23, weekday: 6, timezone: 'Europe/Berlin' }),
    ).toEqual([]);
  });

  it('names every bad field once', () => {
    expect(recurringScheduleProblems({ frequency: 'hourly', hour: 24, timezone: 'Mars/Olympus' })).toEqual([
      { field: 'frequency', problem: 'must be one of daily, weekly' },
      { field: 'hour', problem: 'must be a whole number from 0 to 23' },
      { field: 'timezone', problem: 'must be an IANA timezone such as Europe/Berlin' },
    ]);
    expect(recurringScheduleProblems({ frequency: 'weekly', hour: 1.5, timezone: 'UTC' }, 'digest')).toEqual([
      { field: 'digest.hour', problem: 'must be a whole number from 0 to 23' },
      { field: 'digest.weekday', problem: 'must be a whole number from 0 (Sunday) to 6' },
    ]);
    expect(recurringScheduleProblems({ frequency: 'daily', hour: 1, timezone: 'UTC', weekday: 2 })).toEqual([
      { field: 'weekday', problem: 'must be absent unless frequency is weekly' },
    ]);
    expect(recurringScheduleProblems([1, 2])).toEqual([{ field: 'schedule', problem: 'must be an object' }]);
  });

  it('refuses timezones that are not names', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    for (const bad of ['', 'x'.repeat(65), 'Nowhere/Land', 42, null]) expect(isTimeZone(bad)).toBe(false);
  });

  // Intl matches names case-insensitively and knows retired ones; the Temporal server refuses
  // those ("unknown time zone"), and a saved rule's Schedule would then fail every round.
  it.each(['utc', 'europe/berlin', 'Europe/BERLIN', 'SystemV/AST4'])(
    'refuses %s, which Intl accepts but Temporal does not',
    (timezone) => {
      expect(isTimeZone(timezone)).toBe(false);
      expect(recurringScheduleProblems({ frequency: 'daily', hour: 9, timezone })).toEqual([
        expect.objectContaining({ field: 'timezone' }),
      ]);
    },
  );

  it('takes canonical names only, not the aliases Intl also knows', () => {
    for (const alias of ['US/Eastern', 'GMT', 'Etc/UTC']) expect(isTimeZone(alias)).toBe(false);
  });

  it('says which name was meant when only the case differs', () => {
    expect(recurringScheduleProblems({ frequency: 'daily', hour: 9, timezone: 'europe/berlin' })).toEqual([
      { field: 'timezone', problem: 'must be an IANA timezone, spelt exactly: did you mean Europe/Berlin?' },
    ]);
    expect(recurringScheduleProblems({ frequency: 'daily', hour: 9, timezone: 'utc' }, 'digest')).toEqual([
      { field: 'digest.timezone', problem: 'must be an IANA timezone, spelt exactly: did you mean UTC?' },
    ]);
  });

  // ICU lists some zones under their earlier names (Asia/Calcutta); IANA's current ones stay valid.
  it.each([
    'UTC',
    'Asia/Kolkata',
    'Asia/Calcutta',
    'Europe/Kyiv',
    'America/Argentina/Buenos_Aires',
    'Pacific/Kanton',
  ])('accepts %s', (timezone) => expect(isTimeZone(timezone)).toBe(true));

  it('keeps only the fields a schedule has', () => {
    expect(recurringSchedule({ frequency: 'daily', hour: 4, timezone: 'UTC', weekday: 3 })).toEqual({
      frequency: 'daily',
      hour: 4,
      timezone: 'UTC',
    });
  });
});
