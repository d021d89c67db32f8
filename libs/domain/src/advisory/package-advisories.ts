import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import { advisoryKey, packagesNamed } from './advisory-index';
import type { OsvAffected, OsvRecord } from './osv-record';
import { PackageAdvisoryMatcher } from './package-advisory-matcher';

/** An advisory as a match answers it: enough to tell whether a copy held elsewhere is current. */
export interface AdvisoryStamp {
  readonly id: string;
  readonly modified: string;
}

/**
 * One package's advisories compiled for matching, answering as an AdvisoryIndex of the same
 * records would for that package. It keeps of each record only its id and `modified`, and only
 * the `affected` entries naming this package (compiled, then let go): a holder of many packages
 * (the mirror's cache) pays for what matching reads, not for whole records.
 */
export class PackageAdvisories {
  readonly ids: readonly string[];
  private readonly matcher: PackageAdvisoryMatcher | null;

  /** `key` is advisoryKey(ecosystem, name) of the package; records naming it not are ignored. */
  constructor(
    readonly ecosystem: Ecosystem,
    key: string,
    records: Iterable<OsvRecord>,
  ) {
    // The newest copy of an id wins and withdrawn ones match nothing, as in AdvisoryIndex.
    const newest = new Map<string, OsvRecord>();
    for (const record of records) {
      if (typeof record?.id !== 'string' || typeof record.modified !== 'string') continue;
      const held = newest.get(record.id);
      if (!held || held.modified <= record.modified) newest.set(record.id, record);
    }
    const entries: { record: OsvRecord; affected: OsvAffected }[] = [];
    const ids: string[] = [];
    for (const record of newest.values()) {
      if (record.withdrawn) continue;
      const stamp: OsvRecord = { id: record.id, modified: record.modified };
      let named = false;
      for (const { affected, ecosystem: e, name } of packagesNamed(record)) {
        if (advisoryKey(e, name) !== key) continue;
        entries.push({ record: stamp, affected });
        named = true;
      }
      if (named) ids.push(record.id);
    }
    this.ids = ids;
    this.matcher = entries.length > 0 ? new PackageAdvisoryMatcher(entries, ecosystem) : null;
  }

  /** The advisories affecting this version of the package. */
  match(version: string): AdvisoryStamp[] {
    return (this.matcher?.match(version) ?? []).map(({ record }) => ({
      id: record.id,
      modified: record.modified,
    }));
  }
}
