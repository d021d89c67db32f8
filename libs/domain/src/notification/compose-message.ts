import { compareSeverity, type Severity } from '../severity/severity.value-object';
import type { NotificationEvent, NotificationEventType } from './notification-event';
import type { NotificationMessage } from './notification-message';

export interface ComposeMessageInput {
  readonly kind: NotificationMessage['kind'];
  readonly idempotencyKey: string;
  readonly org: { readonly id: string; readonly name: string };
  readonly events: readonly NotificationEvent[];
  /** How many events the group has when `events` holds only the first of them (a capped load). */
  readonly eventCount?: number;
  /** The API's public base URL (https://repoguard.example.com); null: messages carry no link. */
  readonly linkBaseUrl: string | null;
  readonly createdAt: Date;
  /** Digests: how often the rule sends (the title says "Daily digest" or "Weekly digest"). */
  readonly digestFrequency?: 'daily' | 'weekly';
}

// The headline of a mixed group: what a reader must act on first.
const HEADLINE_ORDER: readonly NotificationEventType[] = [
  'repo.status_changed',
  'scan.failed',
  'finding.new',
  'finding.changed',
  'triage.expired',
  'finding.resolved',
];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One message for a group of events (one scan's, one advisory change's, one digest's): a title for
 * the headline, the highest severity, the repository when every event is about one, a link into
 * the API, and the events in order: those without a severity (a status change, a failure) first,
 * then findings from the most severe down, each kind oldest first.
 */
export function composeNotificationMessage(input: ComposeMessageInput): NotificationMessage {
  const events = orderEvents(input.events);
  const severities = events.map((e) => e.severity).filter((s): s is Severity => s !== null);
  const severity =
    severities.length > 0 ? severities.reduce((a, b) => (compareSeverity(a, b) >= 0 ? a : b)) : null;
  const repoIds = new Set(events.map((e) => e.repo_id));
  const only = repoIds.size === 1 && events[0]?.repo_id ? events[0] : null;
  const statusEvent = events.filter((e) => e.type === 'repo.status_changed').at(-1);
  const repo = only
    ? {
        id: only.repo_id!,
        name: only.repo_name ?? only.repo_id!,
        ...(statusEvent?.type === 'repo.status_changed' ? { status: statusEvent.payload.new_status } : {}),
      }
    : null;
  const total = Math.max(input.eventCount ?? 0, events.length);
  const period = input.kind === 'digest' ? periodOf(events, input.createdAt) : undefined;
  return {
    idempotency_key: input.idempotencyKey,
    kind: input.kind,
    org: input.org,
    title: input.kind === 'digest' ? digestTitle(input, events, total, period!) : titleOf(events, total),
    severity,
    repo,
    link: linkOf(input.linkBaseUrl, input.org.id, repo?.id ?? null),
    events,
    ...(total > events.length ? { event_count: total } : {}),
    ...(period ? { period } : {}),
    created_at: input.createdAt,
  };
}

export function orderEvents(events: readonly NotificationEvent[]): NotificationEvent[] {
  return [...events].sort((a, b) => {
    if (a.severity === null || b.severity === null) {
      if (a.severity !== b.severity) return a.severity === null ? -1 : 1;
    } else {
      const bySeverity = compareSeverity(b.severity, a.severity);
      if (bySeverity !== 0) return bySeverity;
    }
    return a.occurred_at.getTime() - b.occurred_at.getTime();
  });
}

function titleOf(events: readonly NotificationEvent[], total: number): string {
  if (events.length === 0) return 'No events';
  const headline = HEADLINE_ORDER.find((type) => events.some((e) => e.type === type))!;
  const ofType = events.filter((e) => e.type === headline);
  const repos = [...new Set(events.map((e) => e.repo_name ?? e.repo_id).filter((r) => r !== null))];
  const where = repos.length === 1 ? repos[0]! : plural(repos.length, 'repository', 'repositories');
  const more = total - ofType.length;
  const tail = more > 0 ? ` (and ${plural(more, 'more event', 'more events')})` : '';
  switch (headline) {
    case 'repo.status_changed': {
      const last = ofType.at(-1)!;
      const status = last.type === 'repo.status_changed' ? last.payload.new_status : '';
      return `${last.repo_name ?? 'A repository'} is now ${status}${tail}`;
    }
    case 'scan.failed': {
      const first = ofType[0]!;
      const code = first.type === 'scan.failed' ? first.payload.code : '';
      return `Scan of ${where} failed: ${code}${tail}`;
    }
    case 'finding.new':
      return `${plural(ofType.length, 'new vulnerability', 'new vulnerabilities')} in ${where}${tail}`;
    case 'finding.changed': {
      const advisories = new Set(
        ofType.map((e) => (e.type === 'finding.changed' ? e.payload.finding.vulnerability_id : '')),
      );
      if (advisories.size > 1) return `${advisories.size} advisories changed in ${where}${tail}`;
      const first = ofType[0]!;
      if (first.type !== 'finding.changed') return '';
      return `Advisory ${first.payload.finding.vulnerability_id} changed: ${describeChange(first.payload.changes)}${tail}`;
    }
    case 'triage.expired':
      return `${plural(ofType.length, 'ignore', 'ignores')} expired in ${where}${tail}`;
    case 'finding.resolved': {
      const withdrawn = ofType.filter(
        (e) => e.type === 'finding.resolved' && e.payload.reason === 'advisory_withdrawn',
      );
      const first = withdrawn[0];
      if (first && withdrawn.length === ofType.length && first.type === 'finding.resolved') {
        const advisories = new Set(
          withdrawn.map((e) => (e.type === 'finding.resolved' ? e.payload.finding.vulnerability_id : '')),
        );
        if (advisories.size === 1)
          return `Advisory ${first.payload.finding.vulnerability_id} withdrawn${repos.length ? ` (${where})` : ''}${tail}`;
      }
      return `${plural(ofType.length, 'vulnerability', 'vulnerabilities')} resolved in ${where}${tail}`;
    }
    default:
      return `${plural(total, 'event', 'events')} in ${where}`;
  }
}

function describeChange(
  changes: Extract<NotificationEvent, { type: 'finding.changed' }>['payload']['changes'],
): string {
  const parts: string[] = [];
  if (changes.severity) parts.push(`severity ${changes.severity.from} → ${changes.severity.to}`);
  if (changes.fixed_versions) {
    const added = changes.fixed_versions.to.filter((v) => !changes.fixed_versions!.from.includes(v));
    parts.push(added.length > 0 ? `fix released (${added.join(', ')})` : 'fix versions changed');
  }
  if (changes.summary) parts.push('summary updated');
  return parts.length > 0 ? parts.join(', ') : 'details updated';
}

function periodOf(events: readonly NotificationEvent[], createdAt: Date): { from: Date; to: Date } {
  const times = events.map((e) => e.occurred_at.getTime());
  return times.length === 0
    ? { from: createdAt, to: createdAt }
    : { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
}

function digestTitle(
  input: ComposeMessageInput,
  events: readonly NotificationEvent[],
  total: number,
  period: { from: Date; to: Date },
): string {
  const which = input.digestFrequency === 'weekly' ? 'Weekly' : 'Daily';
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const span =
    day(period.from) === day(period.to) ? day(period.from) : `${day(period.from)} to ${day(period.to)}`;
  const counts = HEADLINE_ORDER.map((type) => [type, events.filter((e) => e.type === type).length] as const)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n} ${type}`);
  if (total > events.length) counts.push(`and ${total - events.length} more`);
  return `${which} digest for ${input.org.name}: ${counts.length > 0 ? counts.join(', ') : 'nothing new'} (${span})`;
}

function linkOf(base: string | null, orgId: string, repoId: string | null): string | null {
  if (!base) return null;
  let root = base;
  while (root.endsWith('/')) root = root.slice(0, -1);
  return repoId ? `${root}/api/v1/repos/${repoId}/findings` : `${root}/api/v1/orgs/${orgId}/findings`;
}
