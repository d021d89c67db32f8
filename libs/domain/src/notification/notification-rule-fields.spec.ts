import { ValidationError } from '../errors';
import {
  applyNotificationRuleFields,
  isIanaTimeZone,
  parseMuteUntil,
  parseNotificationRuleFields,
} from './notification-rule-fields';

const CHANNEL = '0b7c6b3e-6a4e-4a51-9f57-2a3b8f0c9d11';
const valid = { name: ' criticals ', channel_id: CHANNEL.toUpperCase(), events: ['finding.new'] };

function problems(body: unknown, required = true): Record<string, string> {
  try {
    parseNotificationRuleFields(body, required);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('REQUEST_INVALID');
    return Object.fromEntries((error as ValidationError).details.map((d) => [d.field, d.problem]));
  }
  throw new Error('expected the body to be refused');
}

describe('parseNotificationRuleFields', () => {
  it('fills the defaults of a new rule and normalises what it reads', () => {
    expect(parseNotificationRuleFields(valid, true)).toEqual({
      name: 'criticals',
      channel_id: CHANNEL,
      events: ['finding.new'],
      min_severity: null,
      repositories: { kind: 'all' },
      mode: 'immediate',
      enabled: true,
    });
  });

  it('names every bad field at once', () => {
    expect(
      problems({
        name: 'x'.repeat(101),
        channel_id: 'nope',
        events: ['finding.new', 'finding.exploded'],
        min_severity: 'SEVERE',
        repositories: { kind: 'list', repo_ids: ['not-a-uuid'] },
        mode: 'sometimes',
        enabled: 'yes',
        colour: 'red',
      }),
    ).toEqual({
      colour: 'is not a rule field',
      name: 'must be a string of 1 to 100 characters',
      channel_id: 'must be a UUID',
      'events[1]': expect.stringContaining('must be one of repo.status_changed'),
      min_severity: expect.stringContaining('must be null or one of CRITICAL'),
      'repositories.repo_ids[0]': 'must be a UUID',
      mode: 'must be immediate or digest',
      enabled: 'must be true or false',
    });
  });

  it('requires the fields of a new rule but not of a PATCH', () => {
    expect(problems({}, true)).toEqual({
      name: 'is required',
      channel_id: 'is required',
      events: 'is required',
    });
    expect(parseNotificationRuleFields({ enabled: false }, false)).toEqual({ enabled: false });
  });

  it.each([
    [[], 'events'],
    ['finding.new', 'events'],
    [null, 'events'],
  ])('refuses events %j', (events, field) => {
    expect(Object.keys(problems({ ...valid, events }))).toEqual([field]);
  });

  it('bounds repository lists and patterns', () => {
    const ids = Array.from({ length: 501 }, () => CHANNEL);
    expect(problems({ ...valid, repositories: { kind: 'list', repo_ids: ids } })).toEqual({
      'repositories.repo_ids': 'must be a list of 1 to 500 repository ids',
    });
    expect(problems({ ...valid, repositories: { kind: 'pattern', pattern: 'a'.repeat(201) } })).toEqual({
      'repositories.pattern': expect.stringContaining('1 to 200'),
    });
    expect(problems({ ...valid, repositories: { kind: 'some' } })).toEqual({
      'repositories.kind': 'must be all, list or pattern',
    });
    expect(problems({ ...valid, repositories: { kind: 'all', pattern: '*' } })).toEqual({
      'repositories.pattern': 'is not a field of a all selector',
    });
    expect(problems({ ...valid, repositories: [{ kind: 'all' }] })).toHaveProperty('repositories');
  });

  // The names Intl takes but the Temporal server refuses: the digest's Schedule could never be made.
  it.each([
    ['utc', 'must be an IANA time zone, spelt exactly: did you mean UTC?'],
    ['europe/berlin', 'must be an IANA time zone, spelt exactly: did you mean Europe/Berlin?'],
    ['SystemV/AST4', 'must be an IANA time zone such as Europe/Berlin'],
  ])('refuses the digest time zone %s', (timezone, problem) => {
    expect(problems({ ...valid, mode: 'digest', digest: { frequency: 'daily', hour: 9, timezone } })).toEqual(
      {
        'digest.timezone': problem,
      },
    );
  });

  it('checks a digest schedule field by field, the time zone with Intl', () => {
    expect(
      problems({
        ...valid,
        mode: 'digest',
        digest: { frequency: 'hourly', hour: 24, timezone: 'Mars/Olympus', weekday: 9 },
      }),
    ).toEqual({
      'digest.frequency': 'must be daily or weekly',
      'digest.hour': 'must be a whole number from 0 to 23',
      'digest.timezone': 'must be an IANA time zone such as Europe/Berlin',
      'digest.weekday': 'is only for a weekly digest',
    });
    expect(problems({ ...valid, digest: { frequency: 'weekly', hour: 9, timezone: 'UTC' } })).toEqual({
      'digest.weekday': expect.stringContaining('for a weekly digest'),
    });
    expect(
      parseNotificationRuleFields(
        {
          ...valid,
          mode: 'digest',
          digest: { frequency: 'weekly', hour: 9, timezone: 'Europe/Berlin', weekday: 1 },
        },
        true,
      ).digest,
    ).toEqual({ frequency: 'weekly', hour: 9, timezone: 'Europe/Berlin', weekday: 1 });
  });

  it('refuses what is not an object', () => {
    expect(problems('rule')).toEqual({ body: 'must be a JSON object' });
    expect(problems([valid])).toEqual({ body: 'must be a JSON object' });
  });
});

describe('applyNotificationRuleFields', () => {
  const base = applyNotificationRuleFields(null, parseNotificationRuleFields(valid, true));
  const digest = { frequency: 'daily' as const, hour: 8, timezone: 'UTC' };

  it('requires a digest schedule exactly when the mode is digest', () => {
    expect(() => applyNotificationRuleFields(base, { mode: 'digest' })).toThrow(/digest/);
    expect(() => applyNotificationRuleFields(base, { digest })).toThrow(/digest/);
    const digestRule = applyNotificationRuleFields(base, { mode: 'digest', digest });
    expect(digestRule.digest).toEqual(digest);
    // Turning it into an immediate rule drops the schedule.
    expect(applyNotificationRuleFields(digestRule, { mode: 'immediate' }).digest).toBeNull();
  });
});

describe('parseMuteUntil', () => {
  const now = new Date('2026-12-05T10:00:00Z');

  it('takes a time in the future within a year', () => {
    expect(parseMuteUntil('2026-12-06T10:00:00Z', now)).toEqual(new Date('2026-12-06T10:00:00Z'));
  });

  it.each([
    ['2026-12-05T09:00:00Z', 'must be in the future'],
    ['2028-01-01T00:00:00Z', 'must be at most a year ahead (disable the rule instead)'],
    ['tomorrow', 'must be an ISO 8601 date-time'],
    [12345, 'must be an ISO 8601 date-time'],
    ['2026-13-45T99:00:00Z', 'must be an ISO 8601 date-time'],
  ])('refuses %j', (value, problem) => {
    expect(() => parseMuteUntil(value, now)).toThrow(ValidationError);
    try {
      parseMuteUntil(value, now);
    } catch (error) {
      expect((error as ValidationError).details).toEqual([{ field: 'until', problem }]);
    }
  });
});

describe('isIanaTimeZone', () => {
  it('knows real zones and refuses made-up ones', () => {
    expect(isIanaTimeZone('America/New_York')).toBe(true);
    expect(isIanaTimeZone('Nowhere/Special')).toBe(false);
    expect(isIanaTimeZone('')).toBe(false);
    expect(isIanaTimeZone('europe/berlin')).toBe(false);
  });
});
