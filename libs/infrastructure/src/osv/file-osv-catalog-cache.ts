import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OsvExportLimits } from './osv-export-limits';
import type { CatalogEntry, CatalogRecord, OsvZipCatalog } from './osv-zip-catalog';

/** Which zip a catalog was made from: a catalog is used only for the very same bytes. */
export interface OsvZipIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of the whole zip. */
  readonly sha256: string;
}

// Bumped whenever what a catalog holds, or how package names are keyed, changes: a file written
// by another version is then rebuilt, never read as this one's.
const FORMAT = 'repoguard-osv-catalog/1';

/**
 * OSV zip catalogs on disk, one file per zip path in `dir` (the user's cache directory), replaced
 * when the zip changes. The file's first line says what it was made from (format, limits, the
 * zip's size, mtime and SHA-256) and holds the SHA-256 of the rest; a file that does not match in
 * every part, or does not parse into a well-formed catalog, is ignored (and rewritten by the
 * caller), never trusted. Writes go to a temporary file renamed into place, so two checks at once
 * never see half a file.
 */
export class FileOsvCatalogCache {
  constructor(private readonly dir: string) {}

  read(zipPath: string, zip: OsvZipIdentity, limits: OsvExportLimits): OsvZipCatalog | undefined {
    let text: string;
    try {
      text = readFileSync(this.fileFor(zipPath), 'utf8');
    } catch {
      return undefined;
    }
    const newline = text.indexOf('\n');
    if (newline < 0) return undefined;
    const body = text.slice(newline + 1);
    let header: unknown;
    try {
      header = JSON.parse(text.slice(0, newline));
    } catch {
      return undefined;
    }
    const expected = headerFor(zip, limits, sha256(body));
    if (JSON.stringify(header) !== JSON.stringify(expected)) return undefined;
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
    const file = this.fileFor(zipPath);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, `${JSON.stringify(headerFor(zip, limits, sha256(body)))}\n${body}`, {
        mode: 0o600,
      });
      renameSync(temporary, file);
    } catch {
      // Read-only home, full disk: the check goes on without a cache.
    }
  }

  fileFor(zipPath: string): string {
    return path.join(this.dir, `${sha256(path.resolve(zipPath)).slice(0, 32)}.json`);
  }
}

function headerFor(zip: OsvZipIdentity, limits: OsvExportLimits, bodySha256: string) {
  return {
    format: FORMAT,
    zip: { size: zip.size, mtimeMs: zip.mtimeMs, sha256: zip.sha256 },
    limits: [limits.maxEntries, limits.maxEntryBytes, limits.maxUnzippedBytes],
    body: bodySha256,
  };
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
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
