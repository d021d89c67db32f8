import type { Stats } from 'node:fs';
import * as path from 'node:path';
import type { OsvExportLimits } from './osv-export-limits';
import { readVouchedBody, sha256, writeVouchedBody } from './private-cache-file';
import type { CatalogEntry, CatalogRecord, OsvZipCatalog } from './osv-zip-catalog';

/**
 * Which zip a catalog was made from, by what stat says of it, so a check reads no more of the zip
 * than the entries it needs. Any write to the file changes its mtime and ctime, a replacement its
 * inode too, and setting the mtime back changes the ctime, which only the clock sets: a catalog
 * is used for the same file unchanged. (The SHA-256 of the whole zip, used before, told nothing
 * more to a check: whoever can write the zip decides the advisories anyway.)
 */
export interface OsvZipIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

export function zipIdentity(stats: Stats): OsvZipIdentity {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

export function sameZip(a: OsvZipIdentity, b: OsvZipIdentity): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs
  );
}

// Bumped whenever what a catalog holds, or how package names are keyed, changes: a file written
// by another version is then rebuilt, never read as this one's.
const FORMAT = 'repoguard-osv-catalog/2';

/**
 * OSV zip catalogs on disk, one file per zip path in `dir` (the user's cache directory), replaced
 * when the zip changes. The file's first line says what it was made from (format, release,
 * limits, the zip's identity) and holds the SHA-256 of the rest; a file that does not match in every part, or
 * does not parse into a well-formed catalog, is ignored (and rewritten by the caller). Writes go
 * to a temporary file renamed into place, so two checks at once never see half a file.
 *
 * A catalog decides which records a check reads, so whoever can write one can hide advisories
 * from it: the folder must be this user's and writable by no one else, the file too (both are
 * made so: 0700 and 0600); any other is neither read nor written. That does not help when the
 * folder itself comes from someone else (a CI cache restored from another branch's run).
 */
export class FileOsvCatalogCache {
  /**
   * `release` names the code that reads and writes the catalogs (the packed CLI passes its build's
   * hash): a catalog written by another release is rebuilt, never read as this one's, even when
   * nobody bumped FORMAT (which still tells catalogs apart for code run from source).
   */
  constructor(
    private readonly dir: string,
    private readonly release = 'unpacked',
  ) {}

  read(zipPath: string, zip: OsvZipIdentity, limits: OsvExportLimits): OsvZipCatalog | undefined {
    const body = readVouchedBody(this.dir, this.fileFor(zipPath), (sha) =>
      headerFor(this.release, zip, limits, sha),
    );
    if (body === undefined) return undefined;
    try {
      return catalogFrom(JSON.parse(body), zip.size);
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written only makes the next check as slow as this one. */
  write(zipPath: string, zip: OsvZipIdentity, limits: OsvExportLimits, catalog: OsvZipCatalog): void {
    const body = JSON.stringify({
      entries: catalog.entries.map((e) => [
        e.name,
        e.offset,
        e.compressedSize,
        e.uncompressedSize,
        e.method,
        e.records.map((r) => [r.id, r.modified, r.withdrawn ? 1 : 0, r.keys]),
      ]),
      problems: catalog.problems.map((p) => [p.entry, p.problem]),
    });
    writeVouchedBody(this.dir, this.fileFor(zipPath), body, (sha) =>
      headerFor(this.release, zip, limits, sha),
    );
  }

  fileFor(zipPath: string): string {
    return path.join(this.dir, `${sha256(path.resolve(zipPath)).slice(0, 32)}.json`);
  }
}

function headerFor(release: string, zip: OsvZipIdentity, limits: OsvExportLimits, bodySha256: string) {
  return {
    format: FORMAT,
    release,
    zip: { dev: zip.dev, ino: zip.ino, size: zip.size, mtimeMs: zip.mtimeMs, ctimeMs: zip.ctimeMs },
    limits: [limits.maxEntries, limits.maxEntryBytes, limits.maxUnzippedBytes],
    body: bodySha256,
  };
}

class MalformedCatalog extends Error {}

/** The catalog a cache file holds, every field checked: anything else throws MalformedCatalog. */
function catalogFrom(json: unknown, zipSize: number): OsvZipCatalog {
  const object = expectObject(json);
  const entries = expectArray(object['entries']).map((raw): CatalogEntry => {
    const [name, offset, compressedSize, uncompressedSize, method, records, ...rest] = expectArray(raw);
    if (rest.length > 0) throw new MalformedCatalog();
    const entry = {
      name: expectString(name),
      offset: expectCount(offset),
      compressedSize: expectCount(compressedSize),
      uncompressedSize: expectCount(uncompressedSize),
      method: expectCount(method),
      records: expectArray(records).map(recordFrom),
    };
    if (entry.offset + entry.compressedSize > zipSize || (entry.method !== 0 && entry.method !== 8))
      throw new MalformedCatalog();
    return entry;
  });
  const problems = expectArray(object['problems']).map((raw) => {
    const [entry, problem, ...rest] = expectArray(raw);
    if (rest.length > 0) throw new MalformedCatalog();
    return { entry: expectString(entry), problem: expectString(problem) };
  });
  return { entries, problems };
}

function recordFrom(raw: unknown): CatalogRecord {
  const [id, modified, withdrawn, keys, ...rest] = expectArray(raw);
  if (rest.length > 0 || (withdrawn !== 0 && withdrawn !== 1)) throw new MalformedCatalog();
  return {
    id: expectString(id),
    modified: expectString(modified),
    withdrawn: withdrawn === 1,
    keys: expectArray(keys).map(expectString),
  };
}

function expectObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedCatalog();
  return value as Record<string, unknown>;
}
function expectArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new MalformedCatalog();
  return value;
}
function expectString(value: unknown): string {
  if (typeof value !== 'string') throw new MalformedCatalog();
  return value;
}
function expectCount(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new MalformedCatalog();
  return value as number;
}
