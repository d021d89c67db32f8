import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import type { OsvExportLimits } from './osv-export-limits';
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
    let text: string;
    try {
      if (!privateDirectory(this.dir)) return undefined;
      const fd = openSync(this.fileFor(zipPath), constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        if (!isPrivate(fstatSync(fd), 'file')) return undefined;
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
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
    const expected = headerFor(this.release, zip, limits, sha256(body));
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
      if (!privateDirectory(this.dir)) return;
      writeFileSync(
        temporary,
        `${JSON.stringify(headerFor(this.release, zip, limits, sha256(body)))}\n${body}`,
        {
          mode: 0o600,
        },
      );
      renameSync(temporary, file);
    } catch {
      // Read-only home, full disk: the check goes on without a cache.
    }
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

/** A regular file or a real folder (no symlink) of this user's that no one else may write. */
function isPrivate(stats: Stats, kind: 'file' | 'directory'): boolean {
  if (kind === 'file' ? !stats.isFile() : !stats.isDirectory()) return false;
  // Windows has neither owners nor these mode bits as POSIX does: its ACLs decide.
  if (process.platform === 'win32') return true;
  return stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}

/**
 * The folder is private (see isPrivate) and no one else can replace it: every folder above it
 * belongs to this user or root and is writable by no one else, or is sticky (as /tmp is: others
 * may not rename what is ours in it). A symlink on the way is followed and its target checked
 * alike; the link itself can only be replaced by whoever can write the folder holding it.
 */
function privateDirectory(dir: string): boolean {
  try {
    if (!isPrivate(lstatSync(dir), 'directory')) return false;
    if (process.platform === 'win32') return true;
    return safeAncestors(path.resolve(dir), 0);
  } catch {
    return false;
  }
}

function safeAncestors(dir: string, links: number): boolean {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const stats = lstatSync(current);
    if (stats.isSymbolicLink()) {
      if (links > 8) return false;
      const target = realpathSync(current);
      if (!safeFolder(statSync(target)) || !safeAncestors(target, links + 1)) return false;
    } else if (!safeFolder(stats)) return false;
    if (path.dirname(current) === current) return true;
  }
}

function safeFolder(stats: Stats): boolean {
  const owner = stats.uid === 0 || stats.uid === process.getuid?.();
  const sticky = (stats.mode & 0o1000) !== 0;
  return stats.isDirectory() && owner && (sticky || (stats.mode & 0o022) === 0);
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
