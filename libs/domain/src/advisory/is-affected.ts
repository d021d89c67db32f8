import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { VersionScheme } from '../ecosystem/version-scheme';
import { SEMVER_SCHEME, versionScheme } from '../ecosystem/versions/version-schemes';
import type { OsvAffected, OsvEvent, OsvRange } from './osv-record';

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
 * describe commits, not package versions, and are ignored here.
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
  let hit = listedIn(affected.versions, version, scheme);

  for (const range of affected.ranges ?? []) {
    const rangeScheme = range.type === 'ECOSYSTEM' ? scheme : range.type === 'SEMVER' ? SEMVER_SCHEME : null;
    if (!rangeScheme || !rangeScheme.isValid(version)) continue;
    const verdict = evaluateRange(range, version, rangeScheme);
    if (verdict.affected) {
      hit = true;
      verdict.fixedVersions.forEach((v) => fixed.add(v));
    }
  }
  if (!hit) return NOT_AFFECTED;
  const ordered = [...fixed].sort((a, b) => safeCompare(scheme, a, b));
  return { affected: true, fixedVersions: ordered };
}

function listedIn(versions: readonly string[] | undefined, version: string, scheme: VersionScheme): boolean {
  if (!versions || versions.length === 0) return false;
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

function evaluateRange(range: OsvRange, version: string, scheme: VersionScheme): AffectedVerdict {
  const events = sortEvents(range.events, scheme);
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

/** `introduced: "0"` is below every version; events whose version the scheme cannot read are dropped. */
function sortEvents(events: readonly OsvEvent[], scheme: VersionScheme): SortedEvent[] {
  const parsed: SortedEvent[] = [];
  for (const event of events) {
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const value = event[kind];
      if (value === undefined) continue;
      if (kind === 'introduced' && value === '0') parsed.push({ kind, version: value });
      else if (value !== '*' && scheme.isValid(value)) parsed.push({ kind, version: value });
    }
  }
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
