import type { Stats } from 'node:fs';
import * as path from 'node:path';
import type { OsvExportLimits } from './osv-export-limits';
import {
  checksum,
  openPrivateFile,
  type PrivateFileParts,
  readVouchedBody,
  readVouchedHead,
  removePrivateFile,
  writeVouchedBody,
  writeVouchedHead,
  writePrivateFile,
} from './private-cache-file';
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
const FORMAT = 'repoguard-osv-catalog/5';

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
    const vouched = readVouchedHead(this.dir, this.fileFor(zipPath), (sum) =>
      headerFor(this.release, zip, limits, sum),
    );
    if (vouched === undefined) return undefined;
    try {
      return new OsvCatalogText(vouched.head, () => vouched.body());
    } catch {
      return undefined;
    }
  }

  /**
   * Best effort: a cache that cannot be written only makes the next check as slow as this one.
   * `text` is catalogText's: its summary line is kept as the head, read by every check, the rest
   * as the body, read only by checks that look in it.
   */
  write(zipPath: string, zip: OsvZipIdentity, limits: OsvExportLimits, text: string): void {
    const end = text.indexOf('\n');
    if (end < 0) return;
    writeVouchedHead(this.dir, this.fileFor(zipPath), text.slice(0, end), text.slice(end + 1), (sum) =>
      headerFor(this.release, zip, limits, sum),
    );
  }

  /**
   * The zip's catalogued entries inflated, one after another (scanOsvZip's texts), kept beside
   * its catalog so a check reads an entry without inflating it. The catalog holds each entry's
   * place and CRC-32 in them, and what is read is checked against those: texts from another
   * catalog, or damaged, are read from the zip instead. Best effort, as `write`.
   */
  writeTexts(zipPath: string, texts: readonly Buffer[] | undefined): void {
    // None (a zip past the size kept): the texts of an earlier catalog of that path go, not to be
    // read and refused entry by entry at every check.
    if (texts === undefined) removePrivateFile(this.dir, this.textsFileFor(zipPath));
    else writePrivateFile(this.dir, this.textsFileFor(zipPath), texts);
  }

  /** The texts kept for the zip, opened (the caller closes them), or undefined when there are none. */
  openTexts(zipPath: string): PrivateFileParts | undefined {
    return openPrivateFile(this.dir, this.textsFileFor(zipPath));
  }

  /**
   * What a list of zips holds together, kept per list of zips in order: how many advisories
   * (records of one id in several zips count once, withdrawn ones not at all), so a check that
   * reads only the records naming its packages still says how many it was matched against; and
   * which ids are in more than one of the zips, so a check looks for the other copies of a record
   * only where there are some, and reads no other catalog's body.
   */
  readZipList(zips: readonly ZipAt[], limits: OsvExportLimits): ZipListFacts | undefined {
    const body = readVouchedBody(this.dir, this.listFileFor(zips), (sum) =>
      listHeaderFor(this.release, zips, limits, sum),
    );
    if (body === undefined) return undefined;
    try {
      const { count, shared, ...rest } = JSON.parse(body) as Record<string, unknown>;
      if (Object.keys(rest).length > 0 || !Number.isSafeInteger(count) || (count as number) < 0)
        return undefined;
      if (!Array.isArray(shared) || !shared.every((id) => typeof id === 'string')) return undefined;
      return { count: count as number, shared: new Set(shared as string[]) };
    } catch {
      return undefined;
    }
  }

  writeZipList(zips: readonly ZipAt[], limits: OsvExportLimits, facts: ZipListFacts): void {
    const body = JSON.stringify({ count: facts.count, shared: [...facts.shared] });
    writeVouchedBody(this.dir, this.listFileFor(zips), body, (sum) =>
      listHeaderFor(this.release, zips, limits, sum),
    );
  }

  fileFor(zipPath: string): string {
    return path.join(this.dir, `${checksum(path.resolve(zipPath))}.json`);
  }

  textsFileFor(zipPath: string): string {
    return path.join(this.dir, `${checksum(path.resolve(zipPath))}.texts`);
  }

  private listFileFor(zips: readonly ZipAt[]): string {
    const paths = JSON.stringify(zips.map((z) => path.resolve(z.path)));
    return path.join(this.dir, `zips-${checksum(paths)}.json`);
  }
}

/** See FileOsvCatalogCache.readZipList. */
export interface ZipListFacts {
  readonly count: number;
  readonly shared: ReadonlySet<string>;
}

/** A zip given to a check, and its identity when its catalog was read. */
export interface ZipAt {
  readonly path: string;
  readonly identity: OsvZipIdentity;
}

function headerFor(release: string, zip: OsvZipIdentity, limits: OsvExportLimits, headChecksum: string) {
  return {
    format: FORMAT,
    release,
    zip: identityOf(zip),
    limits: limitsOf(limits),
    head: headChecksum,
  };
}

function listHeaderFor(
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
