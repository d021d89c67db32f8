import { readFileSync, statSync } from 'node:fs';
import { AdvisoryIndex, type OsvRecord } from '@repoguard/domain';
import { type FileOsvCatalogCache, type OsvZipIdentity, sha256 } from './file-osv-catalog-cache';
import { DEFAULT_OSV_EXPORT_LIMITS, type OsvExportLimits } from './osv-export-limits';
import { isZipName, readOsvExport } from './osv-export-reader';
import { readCatalogEntry, scanOsvZip, type CatalogRecord, type OsvZipCatalog } from './osv-zip-catalog';

type OpenedSource =
  | { readonly kind: 'records'; readonly records: readonly OsvRecord[] }
  | {
      readonly kind: 'zip';
      readonly path: string;
      readonly bytes: Buffer;
      readonly identity: OsvZipIdentity;
      catalog: OsvZipCatalog;
      /** Records read while cataloguing (a first run), by entry index. */
      read: ReadonlyMap<number, readonly OsvRecord[]>;
    };

/**
 * OSV exports given to `repoguard check` (zips, directories of JSON, JSON files). A zip is
 * catalogued once (which records it holds, which packages each names) and the catalog kept in
 * the cache; later checks inflate and parse only the entries naming the packages they scan.
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
    const bytes = readFileSync(path);
    const identity = { size: bytes.length, mtimeMs: info.mtimeMs, sha256: sha256(bytes) };
    let catalog = this.cache?.read(path, identity, this.limits);
    let read: ReadonlyMap<number, readonly OsvRecord[]> = new Map();
    if (!catalog) {
      ({ catalog, records: read } = await scanOsvZip(bytes, this.limits));
      this.cache?.write(path, identity, this.limits, catalog);
    }
    this.sources.push({ kind: 'zip', path, bytes, identity, catalog, read });
    return catalog.problems.map((p) => ({ ...p, entry: `${path}:${p.entry}` }));
  }

  /**
   * An index that matches the packages under `keys` (advisoryKey) exactly as an index of every
   * record would. Every record is added in the same order as a whole-export read adds them; one
   * naming none of those packages goes in as a stand-in with its id, modified and withdrawn
   * alone, so replacements by id and the index's size come out the same.
   */
  async indexFor(keys: ReadonlySet<string>): Promise<AdvisoryIndex> {
    const index = new AdvisoryIndex();
    for (const source of this.sources) {
      if (source.kind === 'records') {
        for (const record of source.records) index.add(record);
        continue;
      }
      let records = this.recordsNaming(source, keys);
      if (!records) {
        // The catalog does not describe these bytes (it passed every check on read, so only a
        // cache edited by hand gets here): catalogued afresh, and the cache rewritten.
        const scanned = await scanOsvZip(source.bytes, this.limits);
        source.catalog = scanned.catalog;
        source.read = scanned.records;
        this.cache?.write(source.path, source.identity, this.limits, scanned.catalog);
        records = this.recordsNaming(source, keys)!;
      }
      for (const record of records) index.add(record);
    }
    return index;
  }

  private recordsNaming(source: Extract<OpenedSource, { kind: 'zip' }>, keys: ReadonlySet<string>) {
    const records: OsvRecord[] = [];
    for (const [i, entry] of source.catalog.entries.entries()) {
      if (!entry.records.some((r) => r.keys.some((k) => keys.has(k)))) {
        records.push(...entry.records.map(standIn));
        continue;
      }
      const full = source.read.get(i) ?? readCatalogEntry(source.bytes, entry);
      if (!full) return undefined;
      records.push(...full);
    }
    return records;
  }
}

function standIn(record: CatalogRecord): OsvRecord {
  return {
    id: record.id,
    modified: record.modified,
    ...(record.withdrawn ? { withdrawn: 'yes' } : {}),
  } as OsvRecord;
}
