import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { VersionScheme } from '../ecosystem/version-scheme';
import { versionScheme } from '../ecosystem/versions/version-schemes';
import type { OsvAffected, OsvRecord } from './osv-record';
import { listedVersionsOf, schemedRanges, type RangeEvent } from './range-events';

/**
 * All advisories of one package, compiled for fast matching. Every event and listed version is
 * a boundary on one sorted axis; a version maps to a position on it (exactly at boundary i: 2i,
 * strictly between boundaries i and i+1: 2i+1, below all: -1) with one binary search, and each
 * range becomes spans of positions, computed once with the OSV schema's sweep. Matching then
 * costs a handful of version comparisons however many advisories the package has.
 * `evaluateAffected` stays the reference; a test checks both agree on the real database.
 */
export class PackageAdvisoryMatcher {
  private readonly axes: Axis[] = [];
  private readonly sortScheme: VersionScheme;
  /** Listed versions no scheme can read: matched by exact spelling only. */
  private readonly rawListed = new Map<string, Set<OsvRecord>>();

  constructor(entries: readonly { record: OsvRecord; affected: OsvAffected }[], ecosystem: Ecosystem) {
    const ecosystemScheme = versionScheme(ecosystem);
    this.sortScheme = ecosystemScheme;
    const byScheme = new Map<VersionScheme, { tracks: TrackSource[]; listed: ListedSource[] }>();
    const sources = (scheme: VersionScheme) => {
      let found = byScheme.get(scheme);
      if (!found) byScheme.set(scheme, (found = { tracks: [], listed: [] }));
      return found;
    };

    for (const { record, affected } of entries) {
      for (const version of listedVersionsOf(affected)) {
        if (ecosystemScheme.isValid(version)) sources(ecosystemScheme).listed.push({ record, version });
        else addTo(this.rawListed, version, record);
      }
      // Events read by the same rules as evaluateAffected (unreadable ones coerced or made conservative).
      for (const { scheme, read } of schemedRanges(affected, ecosystemScheme)) {
        if (read.events.length > 0) sources(scheme).tracks.push({ record, events: read.events });
      }
    }
    for (const [scheme, { tracks, listed }] of byScheme) this.axes.push(new Axis(scheme, tracks, listed));
  }

  /**
   * Records affecting the version, each with the fix versions of the spans it falls in (sorted).
   * The answer is shared between calls for the same position: callers must not mutate it.
   */
  match(version: string): readonly MatchedRecord[] {
    const raw = this.rawListed.get(version);
    if (!raw && this.axes.length === 1) return this.axes[0]!.match(version);
    const merged = new Map<OsvRecord, Set<string>>();
    for (const record of raw ?? []) merged.set(record, merged.get(record) ?? new Set());
    for (const axis of this.axes) {
      for (const { record, fixedVersions } of axis.match(version)) {
        const fixes = merged.get(record) ?? new Set<string>();
        fixedVersions.forEach((v) => fixes.add(v));
        merged.set(record, fixes);
      }
    }
    return [...merged].map(([record, fixes]) => ({
      record,
      fixedVersions: sortVersions(this.sortScheme, [...fixes]),
    }));
  }
}

export interface MatchedRecord {
  readonly record: OsvRecord;
  readonly fixedVersions: readonly string[];
}

function sortVersions(scheme: VersionScheme, versions: string[]): string[] {
  if (versions.length < 2) return versions;
  return versions.sort((a, b) =>
    scheme.isValid(a) && scheme.isValid(b) ? scheme.compare(a, b) : a.localeCompare(b),
  );
}

type EventKind = RangeEvent['kind'];
type RawEvent = RangeEvent;
interface TrackSource {
  readonly record: OsvRecord;
  readonly events: readonly RawEvent[];
}
interface ListedSource {
  readonly record: OsvRecord;
  readonly version: string;
}
interface Span {
  readonly from: number; // inclusive position
  readonly to: number; // exclusive position
  readonly fix: string | null;
}

// At the same version, an introduction comes before what ends it (as in evaluateAffected).
const KIND_ORDER: Record<EventKind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

class Axis {
  private readonly boundaries: string[];
  private readonly tracks: { record: OsvRecord; spans: Span[] }[] = [];
  /**
   * The records listing the version at boundary i are pointRecords[pointStart[i]] up to
   * pointStart[i + 1] (a listed version is always a boundary). Packed, not an array per version:
   * a package listing thousands of versions held that way cost some 200 bytes a version, most of
   * a mirror cache's heap.
   */
  private readonly pointStart: Uint32Array | null = null;
  private readonly pointRecords: readonly OsvRecord[] = [];

  constructor(
    private readonly scheme: VersionScheme,
    tracks: readonly TrackSource[],
    listed: readonly ListedSource[],
  ) {
    const distinct = new Set<string>();
    for (const t of tracks) for (const e of t.events) if (e.version !== null) distinct.add(e.version);
    for (const l of listed) distinct.add(l.version);
    const sorted = [...distinct].sort((a, b) => scheme.compare(a, b));
    // Spellings the scheme holds equal (`1.0`, `1.0.0`) share one boundary.
    this.boundaries = sorted.filter((v, i) => i === 0 || scheme.compare(sorted[i - 1]!, v) !== 0);

    if (listed.length > 0) {
      // A counting sort by boundary, stable: each version's records in the order listed.
      const at = listed.map(({ version }) => this.position(version) >> 1);
      const start = new Uint32Array(this.boundaries.length + 1);
      for (const i of at) start[i + 1]!++;
      for (let i = 0; i < this.boundaries.length; i++) start[i + 1]! += start[i]!;
      const next = start.slice(0, -1);
      const records = new Array<OsvRecord>(listed.length);
      listed.forEach(({ record }, k) => (records[next[at[k]!]!++] = record));
      this.pointStart = start;
      this.pointRecords = records;
    }
    for (const track of tracks) {
      const spans = this.spansOf(track.events);
      if (spans.length > 0) this.tracks.push({ record: track.record, spans });
    }
  }

  match(version: string): readonly MatchedRecord[] {
    if (!this.scheme.isValid(version)) return [];
    const position = this.position(version);
    const cached = this.byPosition.get(position);
    if (cached) return cached;
    const fixesByRecord = new Map<OsvRecord, Set<string>>();
    if (this.pointStart !== null && position >= 0 && position % 2 === 0)
      for (let k = this.pointStart[position >> 1]!; k < this.pointStart[(position >> 1) + 1]!; k++)
        fixesByRecord.set(this.pointRecords[k]!, new Set());
    for (const { record, spans } of this.tracks) {
      for (const span of spans) {
        if (position < span.from || position >= span.to) continue;
        const fixes = fixesByRecord.get(record) ?? new Set<string>();
        if (span.fix !== null) fixes.add(span.fix);
        fixesByRecord.set(record, fixes);
      }
    }
    const hits = [...fixesByRecord].map(([record, fixes]) => ({
      record,
      fixedVersions: sortVersions(this.scheme, [...fixes]),
    }));
    this.byPosition.set(position, hits);
    return hits;
  }

  // What affects a position never changes once compiled: worked out once per position reached.
  private readonly byPosition = new Map<number, readonly MatchedRecord[]>();

  /** The OSV sweep over sorted events, recorded as spans of positions. */
  private spansOf(events: readonly RawEvent[]): Span[] {
    const sorted = events
      .map((e) => ({ ...e, at: e.version === null ? -1 : this.position(e.version) }))
      .sort((a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    const limits = sorted.filter((e) => e.kind === 'limit');
    // With limits, a version is affected only below one of them (OSV: "less than any limit").
    const cap = limits.length > 0 ? Math.max(...limits.map((l) => l.at)) : Number.POSITIVE_INFINITY;

    const spans: Span[] = [];
    let start: number | null = null;
    for (const event of sorted) {
      if (event.kind === 'introduced') {
        if (start === null) start = event.at;
      } else if (event.kind === 'fixed') {
        if (start !== null) spans.push({ from: start, to: event.at, fix: event.version });
        start = null;
      } else if (event.kind === 'last_affected') {
        // The last affected version itself is in; what lies above it is not.
        if (start !== null) spans.push({ from: start, to: event.at + 1, fix: null });
        start = null;
      }
    }
    if (start !== null) spans.push({ from: start, to: Number.POSITIVE_INFINITY, fix: null });
    return spans.map((s) => ({ ...s, to: Math.min(s.to, cap) })).filter((s) => s.from < s.to);
  }

  /** 2i at boundary i, 2i+1 strictly between boundaries i and i+1, -1 below all. */
  private position(version: string): number {
    let low = 0;
    let high = this.boundaries.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const order = this.scheme.compare(version, this.boundaries[middle]!);
      if (order === 0) return 2 * middle;
      if (order < 0) high = middle - 1;
      else low = middle + 1;
    }
    return 2 * high + 1;
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}
