import type { Stats } from 'node:fs';
import * as path from 'node:path';
import type { OsvExportLimits } from './osv-export-limits';
import { checksum, readVouchedBody, readVouchedBytes, writeVouchedBody } from './private-cache-file';
import { OsvCatalogText } from './osv-catalog-text';

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
const FORMAT = 'repoguard-osv-catalog/3';

/**
 * OSV zip catalogs on disk, one file per zip path in `dir` (the user's cache directory), replaced
 * when the zip changes. The file's first line says what it was made from (format, release,
 * limits, the zip's identity) and holds the checksum of the rest; a file that does not match in
 * every part is ignored (and rewritten by the caller), as is one whose body is not a catalog
 * (see OsvCatalogText, which checks what it reads of it as it reads). Writes go to a temporary
 * file renamed into place, so two checks at once never see half a file.
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

  read(zipPath: string, zip: OsvZipIdentity, limits: OsvExportLimits): OsvCatalogText | undefined {
    const body = readVouchedBytes(this.dir, this.fileFor(zipPath), (sum) =>
      headerFor(this.release, zip, limits, sum),
    );
    if (body === undefined) return undefined;
    try {
      return new OsvCatalogText(body);
    } catch {
      return undefined;
    }
  }

  /** Best effort: a cache that cannot be written only makes the next check as slow as this one. */
  write(zipPath: string, zip: OsvZipIdentity, limits: OsvExportLimits, text: string): void {
    writeVouchedBody(this.dir, this.fileFor(zipPath), text, (sum) =>
      headerFor(this.release, zip, limits, sum),
    );
  }

  /**
   * How many advisories a set of zips holds together (records of one id in several zips count
   * once, withdrawn ones not at all): a check that reads only the records naming its packages
   * still says how many it was matched against. Kept per list of zips, in order.
   */
  readCount(zips: readonly ZipAt[], limits: OsvExportLimits): number | undefined {
    const body = readVouchedBody(this.dir, this.countFileFor(zips), (sum) =>
      countHeaderFor(this.release, zips, limits, sum),
    );
    if (body === undefined) return undefined;
    const count = Number(body);
    return Number.isSafeInteger(count) && count >= 0 && body === String(count) ? count : undefined;
  }

  writeCount(zips: readonly ZipAt[], limits: OsvExportLimits, count: number): void {
    writeVouchedBody(this.dir, this.countFileFor(zips), String(count), (sum) =>
      countHeaderFor(this.release, zips, limits, sum),
    );
  }

  fileFor(zipPath: string): string {
    return path.join(this.dir, `${checksum(path.resolve(zipPath))}.json`);
  }

  private countFileFor(zips: readonly ZipAt[]): string {
    const paths = JSON.stringify(zips.map((z) => path.resolve(z.path)));
    return path.join(this.dir, `count-${checksum(paths)}.json`);
  }
}

/** A zip given to a check, and its identity when its catalog was read. */
export interface ZipAt {
  readonly path: string;
  readonly identity: OsvZipIdentity;
}

function headerFor(release: string, zip: OsvZipIdentity, limits: OsvExportLimits, bodyChecksum: string) {
  return {
    format: FORMAT,
    release,
    zip: identityOf(zip),
    limits: limitsOf(limits),
    body: bodyChecksum,
  };
}

function countHeaderFor(
  release: string,
  zips: readonly ZipAt[],
  limits: OsvExportLimits,
  bodyChecksum: string,
) {
  return {
    format: FORMAT,
    release,
    zips: zips.map((z) => [path.resolve(z.path), identityOf(z.identity)]),
    limits: limitsOf(limits),
    body: bodyChecksum,
  };
}

function limitsOf(limits: OsvExportLimits) {
  return [limits.maxEntries, limits.maxEntryBytes, limits.maxUnzippedBytes];
}

function identityOf(zip: OsvZipIdentity) {
  return { dev: zip.dev, ino: zip.ino, size: zip.size, mtimeMs: zip.mtimeMs, ctimeMs: zip.ctimeMs };
}
