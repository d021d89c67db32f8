import type { VersionScheme } from '../ecosystem/version-scheme';
import { SEMVER_SCHEME } from '../ecosystem/versions/version-schemes';
import { isObject } from '../shared/is-object';

export type RangeEventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

/** One event of a range as matching uses it; version null is `introduced: "0"`, below every version. */
export interface RangeEvent {
  readonly kind: RangeEventKind;
  readonly version: string | null;
}

/**
 * What was done with an event value the range's version scheme cannot read. One rule per case,
 * each chosen so that a malformed advisory never hides a vulnerability (osv-scanner coerces
 * partial versions the same way; where it would read garbage as a version, we stay conservative):
 * - `COERCED`: a release number spelled loosely (`1.0`, `v2.3`, `19.03.0`) is read as the scheme
 *   spells it (`1.0.0`, `2.3.0`, `19.3.0`), whatever the event.
 * - `INTRODUCED_AS_ZERO`: any other unreadable `introduced` is read as `0`: the range starts at
 *   the bottom rather than being dropped.
 * - `FIXED_PER_RELEASE_LINE`: a `fixed` listing several versions (`7.2.4, 6.11.4`) names one fix
 *   per release line: fixed at the lowest, re-introduced where the next line starts, fixed there.
 * - `LIST_HIGHEST_FIX`: such a list whose lines cannot be told apart is read as its highest fix.
 * - `RANGE_LEFT_OPEN`: any other unreadable `fixed` or `last_affected` is ignored, so the span it
 *   should have closed stays affected (no fix is suggested from it).
 * - `LIMIT_IGNORED`: an unreadable `limit` caps nothing.
 * - `EVENT_SKIPPED`: an event that is not an object holding one known field.
 * - `RANGE_SKIPPED`: a range without an events array, or whose events introduce nothing.
 */
export type AdvisoryDiagnosticRule =
  | 'COERCED'
  | 'INTRODUCED_AS_ZERO'
  | 'FIXED_PER_RELEASE_LINE'
  | 'LIST_HIGHEST_FIX'
  | 'RANGE_LEFT_OPEN'
  | 'LIMIT_IGNORED'
  | 'EVENT_SKIPPED'
  | 'RANGE_SKIPPED';

export const ADVISORY_DIAGNOSTIC_RULES: readonly AdvisoryDiagnosticRule[] = [
  'COERCED',
  'INTRODUCED_AS_ZERO',
  'FIXED_PER_RELEASE_LINE',
  'LIST_HIGHEST_FIX',
  'RANGE_LEFT_OPEN',
  'LIMIT_IGNORED',
  'EVENT_SKIPPED',
  'RANGE_SKIPPED',
];

/** A range event (or range) RepoGuard could not read as written, and how it was read instead. */
export interface RangeEventProblem {
  readonly code: 'UNPARSABLE_RANGE_EVENT' | 'MALFORMED_RANGE';
  /** The event's field (`introduced`, `fixed`, …), or `events` for a range-level problem. */
  readonly event: RangeEventKind | 'events';
  /** The value as written (JSON for a value that is not a string), cut at 200 characters. */
  readonly value: string;
  readonly rule: AdvisoryDiagnosticRule;
  /** The events matching used instead, e.g. `["introduced 1.0.0"]`; empty when nothing was. */
  readonly readAs: readonly string[];
}

export interface ReadRange {
  readonly events: readonly RangeEvent[];
  readonly problems: readonly RangeEventProblem[];
}

const KINDS: readonly RangeEventKind[] = ['introduced', 'fixed', 'last_affected', 'limit'];
const MAX_VALUE = 200;

/**
 * Reads one ECOSYSTEM or SEMVER range's events with the scheme, applying the rules above to what
 * the scheme cannot read. Never throws, whatever shape `events` has.
 */
export function readRangeEvents(rawEvents: unknown, scheme: VersionScheme): ReadRange {
  if (!Array.isArray(rawEvents)) {
    return {
      events: [],
      problems: [malformed(rawEvents, 'RANGE_SKIPPED')],
    };
  }
  const events: RangeEvent[] = [];
  const problems: RangeEventProblem[] = [];
  for (const raw of rawEvents as unknown[]) {
    const fields = isObject(raw) ? KINDS.filter((kind) => raw[kind] !== undefined) : [];
    if (!isObject(raw) || fields.length === 0) {
      problems.push({ ...malformed(raw, 'EVENT_SKIPPED'), code: 'UNPARSABLE_RANGE_EVENT' });
      continue;
    }
    for (const kind of fields) readEvent(kind, raw[kind], scheme, events, problems);
  }
  if (events.length > 0 && !events.some((e) => e.kind === 'introduced')) {
    // Without an introduction a range affects nothing (OSV): say so instead of staying silent.
    problems.push({ ...malformed(rawEvents, 'RANGE_SKIPPED') });
    return { events: [], problems };
  }
  return { events, problems };
}

function readEvent(
  kind: RangeEventKind,
  value: unknown,
  scheme: VersionScheme,
  events: RangeEvent[],
  problems: RangeEventProblem[],
): void {
  if (typeof value === 'string') {
    if (kind === 'introduced' && value === '0') return void events.push({ kind, version: null });
    if (kind === 'limit' && value === '*') return; // "no limit", as the schema allows
    if (scheme.isValid(value)) return void events.push({ kind, version: value });
  }
  const problem = (rule: AdvisoryDiagnosticRule, used: RangeEvent[]): void => {
    events.push(...used);
    problems.push({
      code: 'UNPARSABLE_RANGE_EVENT',
      event: kind,
      value: shown(value),
      rule,
      readAs: used.map((e) => `${e.kind} ${e.version ?? '0'}`),
    });
  };

  const coerced = typeof value === 'string' ? coerceRelease(value, scheme) : null;
  if (coerced !== null) return problem('COERCED', [{ kind, version: coerced }]);
  if (kind === 'introduced') return problem('INTRODUCED_AS_ZERO', [{ kind, version: null }]);
  if (kind === 'limit') return problem('LIMIT_IGNORED', []);
  if (kind === 'fixed' && typeof value === 'string') {
    const fixes = listedVersions(value, scheme);
    if (fixes) {
      const perLine = fixesPerReleaseLine(fixes, scheme);
      if (perLine) return problem('FIXED_PER_RELEASE_LINE', perLine);
      return problem('LIST_HIGHEST_FIX', [{ kind, version: fixes[fixes.length - 1]! }]);
    }
  }
  problem('RANGE_LEFT_OPEN', []);
}

const LOOSE_RELEASE = /^\s*(?:[v=]\s*)?(\d{1,30}(?:\.\d{1,30})*)\s*$/i;

/**
 * A release number spelled loosely, as the scheme spells it: leading zeros dropped, padded with
 * `.0` up to three numbers, a `v` added when the scheme wants one. Null when it is not just that.
 */
export function coerceRelease(value: string, scheme: VersionScheme): string | null {
  if (value.length > MAX_VALUE) return null;
  const match = LOOSE_RELEASE.exec(value);
  if (!match) return null;
  const numbers = match[1]!.split('.').map((n) => n.replace(/^0+(?=\d)/, ''));
  const candidates = [numbers.join('.')];
  for (const padded = [...numbers]; padded.length < 3;) {
    padded.push('0');
    candidates.push(padded.join('.'));
  }
  for (const candidate of candidates) {
    if (scheme.isValid(candidate)) return candidate;
    if (scheme.isValid(`v${candidate}`)) return `v${candidate}`;
  }
  return null;
}

/** `7.2.4, 6.11.4` (commas, `||` or spaces): each part read or coerced, sorted; null when not a list. */
function listedVersions(value: string, scheme: VersionScheme): string[] | null {
  if (value.length > MAX_VALUE) return null;
  const parts = value.split(/,|\|\||\s/).filter((p) => p.length > 0);
  if (parts.length < 2) return null;
  const versions: string[] = [];
  for (const part of parts) {
    const version = scheme.isValid(part) ? part : coerceRelease(part, scheme);
    if (version === null) return null;
    versions.push(version);
  }
  return versions.sort((a, b) => scheme.compare(a, b));
}

/**
 * Fixes on separate release lines as OSV events: fixed at the lowest, then for each higher fix
 * introduced where its line starts (the first number that differs from the previous fix, the rest
 * zeros: 6.11.4 then 7.2.4 → 7.0.0) and fixed there. Null when two fixes share their line.
 */
function fixesPerReleaseLine(fixes: readonly string[], scheme: VersionScheme): RangeEvent[] | null {
  const events: RangeEvent[] = [{ kind: 'fixed', version: fixes[0]! }];
  for (let i = 1; i < fixes.length; i++) {
    const previous = releaseNumbers(fixes[i - 1]!);
    const current = releaseNumbers(fixes[i]!);
    if (!previous || !current) return null;
    const length = Math.max(previous.length, current.length);
    let differs = 0;
    while (differs < length && Number(previous[differs] ?? 0) === Number(current[differs] ?? 0)) differs++;
    // Differing only in the last number (or not at all) is one line: the list is ambiguous.
    if (differs >= length - 1) return null;
    const start = [...current.slice(0, differs + 1), ...Array<string>(length - differs - 1).fill('0')];
    const lineStart = coerceRelease(start.join('.'), scheme);
    if (lineStart === null || scheme.compare(lineStart, fixes[i - 1]!) <= 0) return null;
    events.push({ kind: 'introduced', version: lineStart }, { kind: 'fixed', version: fixes[i]! });
  }
  return events;
}

function releaseNumbers(version: string): string[] | null {
  const match = /^v?(\d+(?:\.\d+)*)/i.exec(version);
  return match ? match[1]!.split('.') : null;
}

function malformed(value: unknown, rule: AdvisoryDiagnosticRule): RangeEventProblem {
  return { code: 'MALFORMED_RANGE', event: 'events', value: shown(value), rule, readAs: [] };
}

function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/** One range of an `affected` entry that matching reads, with its scheme and events as read. */
export interface SchemedRange {
  readonly type: string;
  readonly scheme: VersionScheme;
  readonly read: ReadRange;
}

/**
 * The ECOSYSTEM and SEMVER ranges of an `affected` entry, read; GIT ranges describe commits, not
 * package versions, and are left out. Whatever the entry's shape, nothing throws.
 */
export function schemedRanges(affected: unknown, ecosystemScheme: VersionScheme): SchemedRange[] {
  const ranges = isObject(affected) ? affected['ranges'] : undefined;
  if (!Array.isArray(ranges)) return [];
  const read: SchemedRange[] = [];
  for (const range of ranges as unknown[]) {
    if (!isObject(range)) continue;
    const type = range['type'];
    const scheme = type === 'ECOSYSTEM' ? ecosystemScheme : type === 'SEMVER' ? SEMVER_SCHEME : null;
    if (!scheme || typeof type !== 'string') continue;
    read.push({ type, scheme, read: readRangeEvents(range['events'], scheme) });
  }
  return read;
}

/** The `versions` list's strings; anything else in it is not a version. */
export function listedVersionsOf(affected: unknown): string[] {
  const versions = isObject(affected) ? affected['versions'] : undefined;
  return Array.isArray(versions) ? (versions as unknown[]).filter((v) => typeof v === 'string') : [];
}
