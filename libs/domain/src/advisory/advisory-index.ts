import { type Ecosystem, isEcosystem } from '../ecosystem/ecosystem.value-object';
import { normalizePackageName } from '../ecosystem/package-name';
import { isObject } from '../shared/is-object';
import { PackageAdvisoryMatcher } from './package-advisory-matcher';
import type { OsvAffected, OsvRecord } from './osv-record';

export interface AdvisoryMatch {
  readonly record: OsvRecord;
  readonly fixedVersions: readonly string[];
}

interface Entry {
  readonly record: OsvRecord;
  readonly affected: OsvAffected;
}

/**
 * The package an index entry is filed under. Exported so a reader that keeps only some records
 * (the CLI's OSV catalog) picks them by the very key the index matches with.
 */
export const advisoryKey = (ecosystem: Ecosystem, name: string): string =>
  `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`;
const key = advisoryKey;

/**
 * Advisories indexed by ecosystem and normalised package name, so matching a dependency reads
 * only the few records about that package. Withdrawn records are left out.
 */
export class AdvisoryIndex {
  private readonly byPackage = new Map<string, Entry[]>();
  private readonly byId = new Map<string, OsvRecord>();
  /** Compiled per package on first use; dropped when the package's advisories change. */
  private readonly matchers = new Map<string, PackageAdvisoryMatcher>();

  constructor(records: Iterable<OsvRecord> = []) {
    for (const record of records) this.add(record);
  }

  /** Adds or replaces a record (same id: the newer `modified` wins). */
  add(record: OsvRecord): void {
    if (typeof record?.id !== 'string' || typeof record.modified !== 'string') return;
    const existing = this.byId.get(record.id);
    if (existing) {
      if (existing.modified > record.modified) return;
      this.remove(record.id);
    }
    if (record.withdrawn) return;
    this.byId.set(record.id, record);
    for (const { affected, ecosystem, name } of packagesNamed(record)) {
      const k = key(ecosystem, name);
      const list = this.byPackage.get(k) ?? [];
      list.push({ record, affected });
      this.byPackage.set(k, list);
      this.matchers.delete(k);
    }
  }

  remove(id: string): void {
    const record = this.byId.get(id);
    if (!record) return;
    this.byId.delete(id);
    for (const { ecosystem, name } of packagesNamed(record)) {
      const k = key(ecosystem, name);
      this.matchers.delete(k);
      const rest = (this.byPackage.get(k) ?? []).filter((entry) => entry.record.id !== id);
      if (rest.length) this.byPackage.set(k, rest);
      else this.byPackage.delete(k);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): OsvRecord | undefined {
    return this.byId.get(id);
  }

  /** Ids of the records that name the package at all, whatever the version. */
  recordsFor(ecosystem: Ecosystem, name: string): OsvRecord[] {
    return [...new Set((this.byPackage.get(key(ecosystem, name)) ?? []).map((e) => e.record))];
  }

  /** Every record that affects this exact version, with the fix versions that would help. */
  match(ecosystem: Ecosystem, name: string, version: string): readonly AdvisoryMatch[] {
    const k = key(ecosystem, name);
    let matcher = this.matchers.get(k);
    if (!matcher) {
      const entries = this.byPackage.get(k);
      if (!entries) return [];
      matcher = new PackageAdvisoryMatcher(entries, ecosystem);
      this.matchers.set(k, matcher);
    }
    return matcher.match(version);
  }
}

/**
 * The `affected` entries that name a package of a known ecosystem. Records come from outside: an
 * entry of another shape names nothing rather than failing the whole index.
 */
export function packagesNamed(
  record: OsvRecord,
): { affected: OsvAffected; ecosystem: Ecosystem; name: string }[] {
  const entries: unknown = record.affected;
  if (!Array.isArray(entries)) return [];
  const named: { affected: OsvAffected; ecosystem: Ecosystem; name: string }[] = [];
  for (const affected of entries as unknown[]) {
    if (!isObject(affected) || !isObject(affected['package'])) continue;
    const { ecosystem, name } = affected['package'];
    if (typeof ecosystem !== 'string' || typeof name !== 'string' || !name || !isEcosystem(ecosystem))
      continue;
    named.push({ affected: affected as OsvAffected, ecosystem, name });
  }
  return named;
}
