import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { AdvisoryIndex, type OsvRecord, ValidationError } from '@repoguard/domain';
import {
  type FileOsvCatalogCache,
  type OsvZipIdentity,
  sameZip,
  zipIdentity,
} from './file-osv-catalog-cache';
import { DEFAULT_OSV_EXPORT_LIMITS, type OsvExportLimits } from './osv-export-limits';
import { isZipName, readOsvExport } from './osv-export-reader';
import {
  readCatalogEntry,
  scanOsvZip,
  zipBytesAt,
  zipBytesOf,
  type CatalogRecord,
  type OsvZipCatalog,
  type ZipBytes,
} from './osv-zip-catalog';

type OpenedSource =
  | { readonly kind: 'records'; readonly records: readonly OsvRecord[] }
  | {
      readonly kind: 'zip';
      readonly path: string;
      identity: OsvZipIdentity;
      catalog: OsvZipCatalog;
      /** The whole zip, when it was read to catalog it (a first run); else entries are read from the file. */
      bytes?: Buffer;
      /** Records read while cataloguing (a first run), by entry index. */
      read: ReadonlyMap<number, readonly OsvRecord[]>;
    };

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
    const source = cached
      ? { kind: 'zip' as const, path, identity, catalog: cached, read: new Map() }
      : await this.catalogued(path);
    this.sources.push(source);
    return source.catalog.problems.map((p) => ({ ...p, entry: `${path}:${p.entry}` }));
  }

  /** The identities of the sources when every one is a zip (what a score cache is bound to). */
  zipIdentities(): readonly OsvZipIdentity[] | undefined {
    const zips: OsvZipIdentity[] = [];
    for (const source of this.sources) {
      if (source.kind !== 'zip') return undefined;
      zips.push(source.identity);
    }
    return zips;
  }

  /**
   * An index that matches the packages under `keys` (advisoryKey) exactly as an index of every
   * record would. Every record is added in the same order as a whole-export read adds them; one
   * naming none of those packages goes in as a stand-in with its id, modified and withdrawn
   * alone, so replacements by id and the index's size come out the same.
   */
  async indexFor(keys: ReadonlySet<string>): Promise<AdvisoryIndex> {
    const index = new AdvisoryIndex();
    for (const [i, source] of this.sources.entries()) {
      if (source.kind === 'records') {
        for (const record of source.records) index.add(record);
        continue;
      }
      let records = this.recordsNaming(source, keys);
      if (!records) {
        // The catalog does not describe the zip's bytes: the zip changed since it was opened, or
        // a cache edited by hand passed every check on read. Catalogued afresh, cache rewritten.
        const fresh = await this.catalogued(source.path);
        this.sources[i] = fresh;
        records = this.recordsNaming(fresh, keys)!;
      }
      for (const record of records) index.add(record);
    }
    return index;
  }

  /** Reads the whole zip and catalogs it; the cache is written under the identity it had before. */
  private async catalogued(path: string): Promise<Extract<OpenedSource, { kind: 'zip' }>> {
    const identity = zipIdentity(statSync(path));
    const bytes = readFileSync(path);
    const { catalog, records } = await scanOsvZip(bytes, this.limits);
    this.cache?.write(path, identity, this.limits, catalog);
    return { kind: 'zip', path, identity, catalog, bytes, read: records };
  }

  /** The records in export order, or undefined when what is read does not match the catalog. */
  private recordsNaming(
    source: Extract<OpenedSource, { kind: 'zip' }>,
    keys: ReadonlySet<string>,
  ): OsvRecord[] | undefined {
    let fd: number | undefined;
    let zip: ZipBytes | undefined = source.bytes && zipBytesOf(source.bytes);
    try {
      const records: OsvRecord[] = [];
      for (const [i, entry] of source.catalog.entries.entries()) {
        if (!entry.records.some((r) => r.keys.some((k) => keys.has(k)))) {
          records.push(...entry.records.map(standIn));
          continue;
        }
        let full = source.read.get(i);
        if (!full) {
          if (!zip) {
            fd = openSync(source.path, 'r');
            // Opened after the catalog was chosen: the file must still be the one it describes.
            if (!sameZip(zipIdentity(fstatSync(fd)), source.identity)) return undefined;
            zip = zipBytesAt(fd, source.identity.size);
          }
          full = readCatalogEntry(zip, entry);
        }
        if (!full) return undefined;
        records.push(...full);
      }
      // Written to in place while being read: what was read may mix two versions.
      if (fd !== undefined && !sameZip(zipIdentity(fstatSync(fd)), source.identity)) return undefined;
      return records;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

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
