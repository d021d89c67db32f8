import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { VersionScheme } from '../ecosystem/version-scheme';
import { versionScheme } from '../ecosystem/versions/version-schemes';
import type { OsvAffected } from './osv-record';
import { listedVersionsOf, schemedRanges, type RangeEvent } from './range-events';

/** What one `affected` entry says about one version. */
export interface AffectedVerdict {
  readonly affected: boolean;
  /** `fixed` events above the version in the ranges that affect it: the upgrades that help. */
  readonly fixedVersions: readonly string[];
}

const NOT_AFFECTED: AffectedVerdict = { affected: false, fixedVersions: [] };

/**
 * The OSV schema's evaluation, exactly: a version is affected when the explicit `versions` list
 * holds it, or when any ECOSYSTEM or SEMVER range's events, sorted by version, leave it inside an
 * `introduced` … `fixed`/`last_affected` span (and below a `limit` when there is one). GIT ranges
 * describe commits, not package versions, and are ignored here. Events the scheme cannot read are
 * read by the rules of `readRangeEvents` (never dropped with their range).
 */
export function isAffected(affected: OsvAffected, ecosystem: Ecosystem, version: string): boolean {
  return evaluateAffected(affected, ecosystem, version).affected;
}

export function evaluateAffected(
  affected: OsvAffected,
  ecosystem: Ecosystem,
  version: string,
): AffectedVerdict {
  const scheme = versionScheme(ecosystem);
  const fixed = new Set<string>();
  let hit = listedIn(listedVersionsOf(affected), version, scheme);

  for (const range of schemedRanges(affected, scheme)) {
    if (!range.scheme.isValid(version)) continue;
    const verdict = evaluateRange(range.read.events, version, range.scheme);
    if (verdict.affected) {
      hit = true;
      verdict.fixedVersions.forEach((v) => fixed.add(v));
    }
  }
  if (!hit) return NOT_AFFECTED;
  const ordered = [...fixed].sort((a, b) => safeCompare(scheme, a, b));
  return { affected: true, fixedVersions: ordered };
}

function listedIn(versions: readonly string[], version: string, scheme: VersionScheme): boolean {
  if (versions.length === 0) return false;
  if (versions.includes(version)) return true;
  // `1.0` and `1.0.0` are one PEP 440 version: compare through the scheme when both parse.
  if (!scheme.isValid(version)) return false;
  return versions.some((listed) => scheme.isValid(listed) && scheme.compare(listed, version) === 0);
}

interface SortedEvent {
  readonly kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  readonly version: string;
}

// At the same version, an introduction comes before what ends it.
const KIND_ORDER: Record<SortedEvent['kind'], number> = {
  introduced: 0,
  last_affected: 1,
  fixed: 2,
  limit: 3,
};

function evaluateRange(read: readonly RangeEvent[], version: string, scheme: VersionScheme): AffectedVerdict {
  const events = sortEvents(read, scheme);
  const limits = events.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && !limits.some((l) => compareToEvent(scheme, version, l) < 0)) return NOT_AFFECTED;

  let affected = false;
  let closingFix: string | undefined;
  for (const event of events) {
    if (event.kind === 'introduced' && compareToEvent(scheme, version, event) >= 0) {
      affected = true;
      closingFix = undefined;
    } else if (event.kind === 'fixed' && compareToEvent(scheme, version, event) >= 0) {
      affected = false;
    } else if (event.kind === 'last_affected' && compareToEvent(scheme, version, event) > 0) {
      affected = false;
    } else if (affected && event.kind === 'fixed' && closingFix === undefined) {
      // The first fix above the version ends the span the version is in.
      closingFix = event.version;
    }
  }
  if (!affected) return NOT_AFFECTED;
  return { affected: true, fixedVersions: closingFix === undefined ? [] : [closingFix] };
}

/** `introduced: "0"` (version null) is below every version. */
function sortEvents(events: readonly RangeEvent[], scheme: VersionScheme): SortedEvent[] {
  const parsed = events.map((e) => ({ kind: e.kind, version: e.version ?? '0' }));
  return parsed.sort((a, b) => {
    const byVersion = compareEvents(scheme, a, b);
    return byVersion !== 0 ? byVersion : KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
}

function compareEvents(scheme: VersionScheme, a: SortedEvent, b: SortedEvent): number {
  const aZero = a.kind === 'introduced' && a.version === '0';
  const bZero = b.kind === 'introduced' && b.version === '0';
  if (aZero || bZero) return aZero && bZero ? 0 : aZero ? -1 : 1;
  return scheme.compare(a.version, b.version);
}

function compareToEvent(scheme: VersionScheme, version: string, event: SortedEvent): number {
  if (event.kind === 'introduced' && event.version === '0') return 1;
  return scheme.compare(version, event.version);
}

function safeCompare(scheme: VersionScheme, a: string, b: string): number {
  return scheme.isValid(a) && scheme.isValid(b) ? scheme.compare(a, b) : a.localeCompare(b);
}
