import type { NotificationEvent, NotifiedFinding } from './notification-event';
import { composeNotificationMessage } from './compose-message';

const org = { id: 'org-1', name: 'Acme' };
const at = (minute: number) => new Date(Date.UTC(2026, 11, 5, 10, minute));

function finding(id: string, severity: NotifiedFinding['severity'], vuln = `GHSA-${id}`): NotifiedFinding {
  return {
    finding_id: id,
    vulnerability_id: vuln,
    aliases: [],
    severity,
    ecosystem: 'npm',
    package_name: 'lodash',
    version: '4.17.0',
    manifest_path: 'package-lock.json',
    fixed_versions: [],
  };
}

const base = {
  org_id: 'org-1',
  repo_id: 'repo-1',
  repo_name: 'acme/api',
  group_key: 'scan-1',
  scan_id: 'scan-1',
};

const newFinding = (
  id: string,
  severity: NotifiedFinding['severity'],
  minute: number,
): NotificationEvent => ({
  ...base,
  id,
  type: 'finding.new',
  severity,
  occurred_at: at(minute),
  payload: { finding: finding(id, severity) },
});

const statusChange: NotificationEvent = {
  ...base,
  id: 'status',
  type: 'repo.status_changed',
  severity: null,
  occurred_at: at(9),
  payload: { old_status: 'OK', new_status: 'FAIL', reasons: [], cause: 'scan' },
};

const compose = (
  events: NotificationEvent[],
  extra: Partial<Parameters<typeof composeNotificationMessage>[0]> = {},
) =>
  composeNotificationMessage({
    kind: 'immediate',
    idempotencyKey: 'rg-delivery-d1',
    org,
    events,
    linkBaseUrl: 'https://repoguard.example.com/',
    createdAt: at(30),
    ...extra,
  });

describe('composeNotificationMessage', () => {
  it('counts new vulnerabilities of one repository, the most severe first, with a link to its findings', () => {
    const message = compose([
      newFinding('a', 'LOW', 1),
      newFinding('b', 'CRITICAL', 2),
      newFinding('c', 'HIGH', 3),
    ]);
    expect(message.title).toBe('3 new vulnerabilities in acme/api');
    expect(message.severity).toBe('CRITICAL');
    expect(message.events.map((e) => e.id)).toEqual(['b', 'c', 'a']);
    expect(message.repo).toEqual({ id: 'repo-1', name: 'acme/api' });
    expect(message.link).toBe('https://repoguard.example.com/api/v1/repos/repo-1/findings');
    expect(message.idempotency_key).toBe('rg-delivery-d1');
  });

  it('leads with a status change and keeps every event', () => {
    const message = compose([newFinding('a', 'HIGH', 1), statusChange, newFinding('b', 'MEDIUM', 2)]);
    expect(message.title).toBe('acme/api is now FAIL (and 2 more events)');
    expect(message.repo).toEqual({ id: 'repo-1', name: 'acme/api', status: 'FAIL' });
    expect(message.events.map((e) => e.id)).toEqual(['status', 'a', 'b']);
  });

  it('says what changed in an advisory', () => {
    const changed: NotificationEvent = {
      ...base,
      id: 'c1',
      type: 'finding.changed',
      severity: 'CRITICAL',
      group_key: 'sync-1',
      scan_id: null,
      occurred_at: at(1),
      payload: {
        finding: finding('f1', 'CRITICAL', 'GHSA-xxxx-yyyy-zzzz'),
        changes: { severity: { from: 'HIGH', to: 'CRITICAL' } },
      },
    };
    expect(compose([changed]).title).toBe('Advisory GHSA-xxxx-yyyy-zzzz changed: severity HIGH → CRITICAL');
    const fixed = {
      ...changed,
      payload: { ...changed.payload, changes: { fixed_versions: { from: [], to: ['4.17.21'] } } },
    } as NotificationEvent;
    expect(compose([fixed]).title).toBe('Advisory GHSA-xxxx-yyyy-zzzz changed: fix released (4.17.21)');
  });

  it('names a withdrawn advisory and a failed scan', () => {
    const withdrawn: NotificationEvent = {
      ...base,
      id: 'w',
      type: 'finding.resolved',
      severity: 'HIGH',
      occurred_at: at(1),
      payload: { finding: finding('f1', 'HIGH', 'GHSA-gone'), reason: 'advisory_withdrawn' },
    };
    expect(compose([withdrawn]).title).toBe('Advisory GHSA-gone withdrawn (acme/api)');
    const failed: NotificationEvent = {
      ...base,
      id: 'f',
      type: 'scan.failed',
      severity: null,
      occurred_at: at(1),
      payload: { scan_id: 'scan-1', code: 'MANIFEST_TOO_LARGE', message: 'too big' },
    };
    expect(compose([failed]).title).toBe('Scan of acme/api failed: MANIFEST_TOO_LARGE');
  });

  it('spans several repositories with no single repository and an org link', () => {
    const other = {
      ...newFinding('b', 'LOW', 2),
      repo_id: 'repo-2',
      repo_name: 'acme/web',
    } as NotificationEvent;
    const message = compose([newFinding('a', 'LOW', 1), other]);
    expect(message.title).toBe('2 new vulnerabilities in 2 repositories');
    expect(message.repo).toBeNull();
    expect(message.link).toBe('https://repoguard.example.com/api/v1/orgs/org-1/findings');
    expect(compose([other], { linkBaseUrl: null }).link).toBeNull();
  });

  it('titles a digest with its org, counts and the period the events span', () => {
    const message = compose([newFinding('a', 'LOW', 1), newFinding('b', 'HIGH', 20), statusChange], {
      kind: 'digest',
      digestFrequency: 'daily',
    });
    expect(message.title).toBe('Daily digest for Acme: 1 repo.status_changed, 2 finding.new (2026-12-05)');
    expect(message.period).toEqual({ from: at(1), to: at(20) });
  });
  it('counts the events a capped load left out, in the title and the message', () => {
    const message = compose([newFinding('a', 'HIGH', 1), newFinding('b', 'LOW', 2)], { eventCount: 12_000 });
    expect(message.title).toBe('2 new vulnerabilities in acme/api (and 11998 more events)');
    expect(message.event_count).toBe(12_000);
    const digest = compose([newFinding('a', 'HIGH', 1)], { kind: 'digest', eventCount: 10_001 });
    expect(digest.title).toContain('1 finding.new, and 10000 more');
  });
});
