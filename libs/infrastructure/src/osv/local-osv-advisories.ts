import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { AdvisoryIndex, type OsvRecord, ValidationError } from '@repoguard/domain';
import {
  type FileOsvCatalogCache,
  type OsvZipIdentity,
  sameZip,
  type ZipListFacts,
  zipIdentity,
} from './file-osv-catalog-cache';
import type { PrivateFileParts } from './private-cache-file';
import { DEFAULT_OSV_EXPORT_LIMITS, type OsvExportLimits } from './osv-export-limits';
import { isZipName, readOsvExport } from './osv-export-reader';
import { catalogText, MalformedCatalog, OsvCatalogText } from './osv-catalog-text';
import {
  catalogEntryRecords,
  readCatalogEntry,
  scanOsvZip,
  zipBytesAt,
  zipBytesOf,
  type CatalogEntry,
  type CatalogRecord,
  type ZipBytes,
} from './osv-zip-catalog';

type ZipSource = {
  readonly kind: 'zip';
  readonly path: string;
  readonly identity: OsvZipIdentity;
  readonly catalog: OsvCatalogText;
  /** The whole zip, when it was read to catalog it (a first run); else entries are read from the file. */
  readonly bytes?: Buffer;
  /** Records read while cataloguing (a first run), by where their entry's line starts. */
  readonly read: ReadonlyMap<number, readonly OsvRecord[]>;
};

type OpenedSource = { readonly kind: 'records'; readonly records: readonly OsvRecord[] } | ZipSource;

/** The advisories a check matches with, and how many there are in all it was given. */
export interface LocalAdvisoryIndex {
  /** Matches the scanned packages as an index of every record would. */
  readonly index: AdvisoryIndex;
  /** The records of every source, counted as an index of them all would count them. */
  readonly count: number;
}

/** A record of a zip, where it stands in the order records are added, read or stood in for. */
interface Copy {
  readonly source: number;
  readonly position: number;
  readonly slot: number;
  readonly record: OsvRecord;
}

/** Thrown while reading a zip whose catalog does not describe it: the zip is catalogued afresh. */
class StaleCatalog extends Error {
  constructor(readonly source: number) {
    super('the catalog does not describe the zip');
  }
}

/**
 * A lookup in the catalog of the zip at `source`: one found malformed there (its body damaged, or
 * the file replaced since its head was read) is that zip's to catalog afresh, not every zip's.
 */
function inCatalog<T>(source: number, lookUp: () => T): T {
  try {
    return lookUp();
  } catch (error) {
    if (error instanceof MalformedCatalog) throw new StaleCatalog(source);
    throw error;
  }
}

/**
 * OSV exports given to `repoguard check` (zips, directories of JSON, JSON files). A zip is
 * catalogued once (which records it holds, which packages each names) and the catalog kept in
 * the cache; later checks read, inflate and parse only the entries naming the packages they scan.
 */
export class LocalOsvAdvisories {
  private readonly sources: OpenedSource[] = [];
  private readonly cache: FileOsvCatalogCache | undefined;
  private readonly limits: OsvExportLimits;

  constructor(options: { readonly cache?: FileOsvCatalogCache; readonly limits?: OsvExportLimits } = {}) {
    this.cache = options.cache;
    this.limits = options.limits ?? DEFAULT_OSV_EXPORT_LIMITS;
  }

  /**
   * Opens one source (a full path); answers the entries that were not OSV JSON, labelled
   * `<path>:<entry>` as readOsvExport labels them. Throws a DomainError for an export past the
   * limits or a damaged zip.
   */
  async add(path: string): Promise<{ entry: string; problem: string }[]> {
    const info = statSync(path);
    if (info.isDirectory() || !isZipName(path)) {
      const read = readOsvExport(path);
      this.sources.push({ kind: 'records', records: read.records });
      return read.problems;
    }
    if (info.size > MAX_ZIP_BYTES) throw zipTooLarge(info.size);
    const identity = zipIdentity(info);
    const cached = this.cache?.read(path, identity, this.limits);
    const source: ZipSource = cached
      ? { kind: 'zip', path, identity, catalog: cached, read: new Map() }
      : await this.catalogued(path);
    this.sources.push(source);
    return source.catalog.problems.map((p) => ({ ...p, entry: `${path}:${p.entry}` }));
  }

  /** The identities of the sources when every one is a zip (what a score cache is bound to). */
  zipIdentities(): readonly OsvZipIdentity[] | undefined {
    return this.zips()?.map((z) => z.identity);
  }

  /**
   * An index that matches the packages under `keys` (advisoryKey) exactly as an index of every
   * record would, and the size that index would have. Records go in in the order a whole-export
   * read adds them; of the zips' records only those with the id of one naming a scanned package
   * are added at all (a copy naming none of them as a stand-in: id, modified and withdrawn), so
   * replacements by id come out the same. A zip whose catalog turns out not to describe it is
   * catalogued afresh and the whole tried again.
   */
  async indexFor(keys: ReadonlySet<string>): Promise<LocalAdvisoryIndex> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.zips() ? this.fromZips(keys) : this.fromEverything(keys);
      } catch (error) {
        if (!(error instanceof StaleCatalog || error instanceof MalformedCatalog)) throw error;
        // Every zip catalogued afresh reads from its bytes in memory: it cannot be stale twice.
        if (attempt > this.sources.length) throw error;
        const stale = error instanceof StaleCatalog ? [error.source] : this.sourceIndexes('zip');
        for (const i of stale) this.sources[i] = await this.catalogued((this.sources[i] as ZipSource).path);
      }
    }
  }

  private zips(): ZipSource[] | undefined {
    return this.sources.every((s) => s.kind === 'zip') ? (this.sources as ZipSource[]) : undefined;
  }

  private sourceIndexes(kind: OpenedSource['kind']): number[] {
    return this.sources.flatMap((s, i) => (s.kind === kind ? [i] : []));
  }

  /**
   * Zips only: the entries naming the keys, then every copy of the records' ids in any zip. An id
   * found in one zip is looked for in the others only when the list's facts say it is in more
   * than one: a catalog no scanned package and no shared id leads to is never read past its head.
   */
  private fromZips(keys: ReadonlySet<string>): LocalAdvisoryIndex {
    const zips = this.zips()!;
    const facts = this.factsOf(zips);
    const full = new Map<string, readonly OsvRecord[]>();
    const foundIn = new Map<string, number>();
    zips.forEach((zip, source) => {
      const naming = new Map<number, CatalogEntry>();
      for (const key of keys)
        for (const { position, entry } of inCatalog(source, () => zip.catalog.entriesNaming(key)))
          naming.set(position, entry);
      if (naming.size === 0) return;
      this.readEntries(source, zip, naming, (position, entry, records) => {
        full.set(`${source}:${position}`, records);
        for (const record of entry.records)
          if (record.keys.some((k) => keys.has(k)) && !foundIn.has(record.id)) foundIn.set(record.id, source);
      });
    });
    const copies: Copy[] = [];
    zips.forEach((zip, source) => {
      for (const [id, found] of foundIn) {
        if (found !== source && !facts.shared.has(id)) continue;
        for (const { position, entry } of inCatalog(source, () => zip.catalog.entriesHolding(id)))
          entry.records.forEach((record, slot) => {
            if (record.id !== id) return;
            const read = full.get(`${source}:${position}`);
            copies.push({ source, position, slot, record: read ? read[slot]! : standIn(record) });
          });
      }
    });
    copies.sort((a, b) => a.source - b.source || a.position - b.position || a.slot - b.slot);
    const index = new AdvisoryIndex();
    for (const copy of copies) index.add(copy.record);
    return { index, count: facts.count };
  }

  /** What the zips hold together (see readZipList): kept per list of zips, else found by replay. */
  private factsOf(zips: readonly ZipSource[]): ZipListFacts {
    const kept = this.cache?.readZipList(zips, this.limits);
    if (kept !== undefined) return kept;
    const index = new AdvisoryIndex();
    const firstIn = new Map<string, number>();
    const shared = new Set<string>();
    zips.forEach((zip, source) => {
      for (const { entry } of inCatalog(source, () => zip.catalog.allEntries()))
        for (const record of entry.records) {
          index.add(standIn(record));
          const first = firstIn.get(record.id);
          if (first === undefined) firstIn.set(record.id, source);
          else if (first !== source) shared.add(record.id);
        }
    });
    const facts = { count: index.size, shared };
    this.cache?.writeZipList(zips, this.limits, facts);
    return facts;
  }

  /** Every record of every source replayed, those of zips naming no key as stand-ins. */
  private fromEverything(keys: ReadonlySet<string>): LocalAdvisoryIndex {
    const index = new AdvisoryIndex();
    for (const [i, source] of this.sources.entries()) {
      if (source.kind === 'records') {
        for (const record of source.records) index.add(record);
        continue;
      }
      const entries = inCatalog(i, () => source.catalog.allEntries());
      const naming = new Map<number, CatalogEntry>();
      for (const { position, entry } of entries)
        if (entry.records.some((r) => r.keys.some((k) => keys.has(k)))) naming.set(position, entry);
      const full = new Map<number, readonly OsvRecord[]>();
      this.readEntries(i, source, naming, (position, _, records) => full.set(position, records));
      for (const { position, entry } of entries)
        for (const record of full.get(position) ?? entry.records.map(standIn)) index.add(record);
    }
    return { index, count: index.size };
  }

  /** Reads and checks the catalogued entries (by position, in any order): kept inflated, else from the zip. */
  private readEntries(
    source: number,
    zip: ZipSource,
    entries: ReadonlyMap<number, CatalogEntry>,
    each: (position: number, entry: CatalogEntry, records: readonly OsvRecord[]) => void,
  ): void {
    let fd: number | undefined;
    let bytes: ZipBytes | undefined = zip.bytes && zipBytesOf(zip.bytes);
    let texts: PrivateFileParts | undefined | null = zip.bytes ? undefined : null;
    try {
      for (const [position, entry] of entries) {
        let records = zip.read.get(position);
        if (!records) {
          // The entry as kept inflated beside the catalog, if it is there and checks out.
          if (texts === null) texts = this.cache?.openTexts(zip.path);
          const kept = texts?.read(entry.textAt, entry.uncompressedSize);
          records = kept && catalogEntryRecords(kept, entry);
        }
        if (!records) {
          if (!bytes) {
            fd = openSync(zip.path, 'r');
            // Opened after the catalog was chosen: the file must still be the one it describes.
            if (!sameZip(zipIdentity(fstatSync(fd)), zip.identity)) throw new StaleCatalog(source);
            // A small zip is read whole in one call rather than in two reads an entry.
            bytes =
              zip.identity.size <= WHOLE_ZIP_BYTES
                ? zipBytesOf(readFileSync(fd))
                : zipBytesAt(fd, zip.identity.size);
          }
          records = readCatalogEntry(bytes, entry);
        }
        if (!records) throw new StaleCatalog(source);
        each(position, entry, records);
      }
      // Written to in place while being read: what was read may mix two versions.
      if (fd !== undefined && !sameZip(zipIdentity(fstatSync(fd)), zip.identity))
        throw new StaleCatalog(source);
    } finally {
      if (fd !== undefined) closeSync(fd);
      texts?.close();
    }
  }

  /** Reads the whole zip and catalogs it; the cache is written under the identity it had before. */
  private async catalogued(path: string): Promise<ZipSource> {
    const identity = zipIdentity(statSync(path));
    const bytes = readFileSync(path);
    const scanned = await scanOsvZip(bytes, this.limits);
    const text = catalogText(scanned.catalog);
    // The texts before the catalog: a run stopped in between leaves the old catalog, which
    // refuses these texts (by their CRCs), rather than a new one beside the old texts.
    this.cache?.writeTexts(path, scanned.texts);
    this.cache?.write(path, identity, this.limits, text);
    const catalog = OsvCatalogText.of(Buffer.from(text));
    const positions = catalog.allEntries().map((e) => e.position);
    const read = new Map([...scanned.records].map(([ordinal, records]) => [positions[ordinal]!, records]));
    return { kind: 'zip', path, identity, catalog, bytes, read };
  }
}

/** npm's GHSA export is 160 KB; PyPI's whole export, 2.7 MB, is read entry by entry. */
const WHOLE_ZIP_BYTES = 1024 * 1024;

/**
 * A zip is read into memory to be catalogued, and Node reads no file over 2 GiB at once. OSV's
 * largest export zip is a few hundred MB, and its JSON may unzip to 1 GiB at most anyway.
 */
const MAX_ZIP_BYTES = 2 ** 31 - 1;

function zipTooLarge(size: number): ValidationError {
  return new ValidationError(
    `the zip is ${size} bytes, more than the 2 GiB a check reads (OSV's exports are far smaller); unzip it and name the directory instead`,
    [{ field: 'source', problem: `${size} bytes, over 2 GiB` }],
    'ADVISORY_EXPORT_TOO_LARGE',
  );
}

function standIn(record: CatalogRecord): OsvRecord {
  return {
    id: record.id,
    modified: record.modified,
    ...(record.withdrawn ? { withdrawn: 'yes' } : {}),
  } as OsvRecord;
}
