import type { NotificationEvent, NotificationMessage, Severity } from '@repoguard/domain';

/** A finding.new event; `hostile` fills every stranger-written field with markup and mentions. */
export function findingEvent(
  i: number,
  options: { severity?: Severity; hostile?: boolean; long?: boolean } = {},
): NotificationEvent {
  const severity = options.severity ?? 'HIGH';
  const evil = '<script>alert(1)</script> @everyone <!channel> [click](https://evil.example) *bold* & "q"';
  return {
    id: `event-${i}`,
    org_id: 'org-1',
    repo_id: 'repo-1',
    repo_name: 'acme/api',
    type: 'finding.new',
    severity,
    group_key: 'scan-1',
    scan_id: 'scan-1',
    occurred_at: new Date('2026-12-05T10:00:00Z'),
    payload: {
      finding: {
        finding_id: `finding-${i}`,
        vulnerability_id: `GHSA-${String(i).padStart(4, '0')}-aaaa-bbbb`,
        aliases: [],
        severity,
        ecosystem: 'npm',
        package_name: options.hostile ? `pkg<img src=x onerror=alert(1)>${i}` : `package-${i}`,
        version: '1.0.0',
        manifest_path: 'package-lock.json',
        fixed_versions: ['1.0.1'],
        summary: options.hostile ? evil : options.long ? 'x'.repeat(5000) : `Summary of advisory ${i}`,
      },
    },
  };
}

export function message(
  events: readonly NotificationEvent[],
  overrides: Partial<NotificationMessage> = {},
): NotificationMessage {
  return {
    idempotency_key: 'scan-1:channel-1',
    kind: 'immediate',
    org: { id: 'org-1', name: 'Acme' },
    title: `${events.length} new vulnerabilities in acme/api`,
    severity: 'HIGH',
    repo: { id: 'repo-1', name: 'acme/api', status: 'FAIL' },
    link: 'https://repoguard.example.com/api/v1/repos/repo-1',
    events,
    created_at: new Date('2026-12-05T10:00:00Z'),
    ...overrides,
  };
}

export const manyEvents = (n: number, options: Parameters<typeof findingEvent>[1] = {}) =>
  Array.from({ length: n }, (_, i) => findingEvent(i, options));
