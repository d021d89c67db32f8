import type { NotificationEvent, NotificationMessage, NotifiedFinding, Severity } from '@repoguard/domain';

/** One event as plain text, before any channel's escaping: a headline and optional detail lines. */
export interface EventLine {
  readonly headline: string;
  readonly details: readonly string[];
}

const RESOLVED_REASONS = {
  dependency_changed: 'the dependency was upgraded or removed',
  advisory_withdrawn: 'the advisory was withdrawn',
} as const;

const STATUS_CAUSES = {
  scan: 'after a scan',
  triage: 'after a triage decision',
  policy: 'after a policy change',
  triage_expiry: 'after an ignore expired',
} as const;

const pkg = (f: NotifiedFinding) => `${f.package_name}@${f.version}`;
const where = (f: NotifiedFinding) => `${f.ecosystem}, ${f.manifest_path}`;
const fixes = (versions: readonly string[]) => (versions.length > 0 ? versions.join(', ') : 'none');

function findingDetails(f: NotifiedFinding): string[] {
  return [...(f.summary ? [f.summary] : []), `${where(f)}; fixed in: ${fixes(f.fixed_versions)}`];
}

/** What happened, in words a reader of any channel understands without opening RepoGuard. */
export function describeEvent(event: NotificationEvent): EventLine {
  const repo = event.repo_name ?? 'a repository';
  switch (event.type) {
    case 'repo.status_changed': {
      const p = event.payload;
      const was = p.old_status ? ` (was ${p.old_status})` : '';
      return {
        headline: `${repo} is now ${p.new_status}${was} ${STATUS_CAUSES[p.cause]}`,
        details: p.reasons.map((r) => `${r.status}: ${r.message}`),
      };
    }
    case 'finding.new': {
      const f = event.payload.finding;
      return {
        headline: `${f.severity} ${f.vulnerability_id} in ${pkg(f)} (${repo})`,
        details: findingDetails(f),
      };
    }
    case 'finding.changed': {
      const { finding: f, changes } = event.payload;
      const what = [
        ...(changes.severity ? [`severity ${changes.severity.from} → ${changes.severity.to}`] : []),
        ...(changes.fixed_versions
          ? [`fixed in ${fixes(changes.fixed_versions.from)} → ${fixes(changes.fixed_versions.to)}`]
          : []),
        ...(changes.summary ? ['summary updated'] : []),
      ];
      return {
        headline: `${f.vulnerability_id} in ${pkg(f)} changed: ${what.join('; ')} (${repo})`,
        details: findingDetails(f),
      };
    }
    case 'finding.resolved': {
      const f = event.payload.finding;
      return {
        headline: `${f.vulnerability_id} in ${pkg(f)} resolved: ${RESOLVED_REASONS[event.payload.reason]} (${repo})`,
        details: [],
      };
    }
    case 'scan.failed':
      return {
        headline: `Scan of ${repo} failed: ${event.payload.code}`,
        details: [event.payload.message],
      };
    case 'triage.expired': {
      const p = event.payload;
      const f = p.finding;
      const by = p.decided_by ? ` by ${p.decided_by}` : '';
      return {
        headline: `Ignore of ${f.vulnerability_id} in ${pkg(f)} expired: the finding is open again (${repo})`,
        details: [...(p.reason ? [`Ignored${by}: ${p.reason}`] : []), ...findingDetails(f)],
      };
    }
  }
}

/** "1 event" / "3 events", with the org and the digest period when there is one. */
export function messageContext(message: NotificationMessage): string {
  const n = message.events.length;
  const parts = [`RepoGuard · ${message.org.name}`, `${n} event${n === 1 ? '' : 's'}`];
  if (message.period) parts.push(`${message.period.from.toISOString()} – ${message.period.to.toISOString()}`);
  if (message.kind === 'test') parts.push('test message');
  return parts.join(' · ');
}

/** Hex colours by severity (as Slack, Discord and email show them); grey when none. */
export const SEVERITY_COLOURS: Record<Severity | 'NONE', number> = {
  CRITICAL: 0x8b0000,
  HIGH: 0xd9534f,
  MEDIUM: 0xf0ad4e,
  LOW: 0x5bc0de,
  UNKNOWN: 0x777777,
  NONE: 0x777777,
};

export const colourOf = (message: NotificationMessage): number =>
  SEVERITY_COLOURS[message.severity ?? 'NONE'];

/**
 * Cuts to `max` UTF-16 code units (what JavaScript-based limit checks count, and never fewer than
 * the characters), marking the cut with an ellipsis and never splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}
