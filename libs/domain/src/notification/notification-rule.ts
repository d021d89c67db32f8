import type { Severity } from '../severity/severity.value-object';
import type { NotificationEventType } from './notification-event';

/** Which repositories a rule covers. A pattern is a glob on the repository's name (`*` and `?`). */
export type RepositorySelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'list'; readonly repo_ids: readonly string[] }
  | { readonly kind: 'pattern'; readonly pattern: string };

export interface DigestSchedule {
  readonly frequency: 'daily' | 'weekly';
  /** 0–23, in `timezone`. */
  readonly hour: number;
  /** IANA name, e.g. Europe/Berlin. */
  readonly timezone: string;
  /** Weekly only: 0 (Sunday) – 6. */
  readonly weekday?: number;
}

/**
 * An org's rule: these events, at or above this severity (finding events; others always pass), on
 * these repositories, to this channel, at once or as a digest.
 */
export interface NotificationRule {
  readonly id: string;
  readonly org_id: string;
  readonly name: string;
  readonly channel_id: string;
  readonly events: readonly NotificationEventType[];
  readonly min_severity: Severity | null;
  readonly repositories: RepositorySelector;
  readonly mode: 'immediate' | 'digest';
  readonly digest: DigestSchedule | null;
  readonly enabled: boolean;
}
