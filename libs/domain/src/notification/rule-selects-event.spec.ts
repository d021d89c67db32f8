import type { NotificationEvent } from './notification-event';
import type { NotificationRule } from './notification-rule';
import { globMatches, ruleSelectsEvent } from './rule-selects-event';

const rule: NotificationRule = {
  id: 'rule-1',
  org_id: 'org-1',
  name: 'criticals',
  channel_id: 'channel-1',
  events: ['finding.new', 'repo.status_changed'],
  min_severity: 'HIGH',
  repositories: { kind: 'all' },
  mode: 'immediate',
  digest: null,
  enabled: true,
};

function findingEvent(severity: 'CRITICAL' | 'LOW', repo = 'acme/api'): NotificationEvent {
  return {
    id: 'e1',
    org_id: 'org-1',
    repo_id: 'repo-1',
    repo_name: repo,
    type: 'finding.new',
    severity,
    group_key: 'scan-1',
    scan_id: 'scan-1',
    occurred_at: new Date('2026-12-05T10:00:00Z'),
    payload: {
      finding: {
        finding_id: 'f1',
        vulnerability_id: 'GHSA-1',
        aliases: [],
        severity,
        ecosystem: 'npm',
        package_name: 'lodash',
        version: '4.17.0',
        manifest_path: 'package-lock.json',
        fixed_versions: ['4.17.21'],
      },
    },
  };
}

const now = new Date('2026-12-05T10:00:00Z');

describe('ruleSelectsEvent', () => {
  it('sends a subscribed event at or above the minimum severity', () => {
    expect(ruleSelectsEvent(rule, findingEvent('CRITICAL'), [], now)).toBe(true);
    expect(ruleSelectsEvent(rule, findingEvent('LOW'), [], now)).toBe(false);
  });

  it('sends nothing for another org, an unsubscribed type or a disabled rule', () => {
    expect(ruleSelectsEvent({ ...rule, org_id: 'org-2' }, findingEvent('CRITICAL'), [], now)).toBe(false);
    expect(ruleSelectsEvent({ ...rule, events: ['scan.failed'] }, findingEvent('CRITICAL'), [], now)).toBe(
      false,
    );
    expect(ruleSelectsEvent({ ...rule, enabled: false }, findingEvent('CRITICAL'), [], now)).toBe(false);
  });

  it('honours a mute until it lapses', () => {
    const mute = { rule_id: 'rule-1', repo_id: 'repo-1', until: new Date('2026-12-05T11:00:00Z') };
    expect(ruleSelectsEvent(rule, findingEvent('CRITICAL'), [mute], now)).toBe(false);
    expect(ruleSelectsEvent(rule, findingEvent('CRITICAL'), [mute], new Date('2026-12-05T11:00:00Z'))).toBe(
      true,
    );
    expect(ruleSelectsEvent(rule, findingEvent('CRITICAL'), [{ ...mute, rule_id: 'other' }], now)).toBe(true);
  });

  it('selects repositories by list and by name pattern', () => {
    expect(
      ruleSelectsEvent(
        { ...rule, repositories: { kind: 'list', repo_ids: ['repo-2'] } },
        findingEvent('CRITICAL'),
        [],
        now,
      ),
    ).toBe(false);
    expect(
      ruleSelectsEvent(
        { ...rule, repositories: { kind: 'pattern', pattern: 'acme/*' } },
        findingEvent('CRITICAL'),
        [],
        now,
      ),
    ).toBe(true);
    expect(
      ruleSelectsEvent(
        { ...rule, repositories: { kind: 'pattern', pattern: 'acme/web-?' } },
        findingEvent('CRITICAL'),
        [],
        now,
      ),
    ).toBe(false);
  });
});

describe('globMatches', () => {
  it.each([
    ['*', 'anything', true],
    ['acme/*', 'ACME/api', true],
    ['acme/api-?', 'acme/api-1', true],
    ['acme/api-?', 'acme/api-12', false],
    ['*-service', 'acme/pay-service', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['', '', true],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected);
  });

  it('stays linear on a pattern built to backtrack', () => {
    expect(globMatches(`${'*a'.repeat(50)}b`, 'a'.repeat(5000))).toBe(false);
  });
});
