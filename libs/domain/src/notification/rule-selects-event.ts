import { atLeast } from '../severity/severity.value-object';
import type { NotificationEvent } from './notification-event';
import type { NotificationRule, RepositorySelector } from './notification-rule';

/** A rule's pause for one repository: nothing of that repository goes out through the rule until `until`. */
export interface RuleMute {
  readonly rule_id: string;
  readonly repo_id: string;
  readonly until: Date;
}

/**
 * Whether `rule` sends `event`: enabled, subscribed to its type, the finding at or above the rule's
 * minimum severity (events without a severity, such as a status change, always pass), the
 * repository selected and not muted at `now`. The same answer for immediate rules and digests.
 */
export function ruleSelectsEvent(
  rule: NotificationRule,
  event: NotificationEvent,
  mutes: readonly RuleMute[],
  now: Date,
): boolean {
  if (!rule.enabled || rule.org_id !== event.org_id) return false;
  if (!rule.events.includes(event.type)) return false;
  if (rule.min_severity !== null && event.severity !== null && !atLeast(event.severity, rule.min_severity))
    return false;
  if (!repositorySelected(rule.repositories, event.repo_id, event.repo_name)) return false;
  return !mutes.some(
    (m) => m.rule_id === rule.id && m.repo_id === event.repo_id && m.until.getTime() > now.getTime(),
  );
}

/** An event of no repository (none today) is selected only by a rule for all repositories. */
export function repositorySelected(
  selector: RepositorySelector,
  repoId: string | null,
  repoName: string | null,
): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'list':
      return repoId !== null && selector.repo_ids.includes(repoId);
    case 'pattern':
      return repoName !== null && globMatches(selector.pattern, repoName);
  }
}

/**
 * `*` any run of characters, `?` one; everything else literal and case-insensitive (GitHub names
 * are). Iterative with one backtrack point, so a hostile pattern cannot take exponential time.
 */
export function globMatches(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
