import * as path from 'node:path';
import { type CvssScorer, scoreCvssVector } from '@repoguard/domain';
import type { OsvZipIdentity } from './file-osv-catalog-cache';
import { readVouchedBody, writeVouchedBody } from './private-cache-file';

// Bumped whenever how a vector is scored changes (a calculator upgrade that corrects a score):
// a file written before is then ignored. A packed release's own hash does the same for releases.
const FORMAT = 'repoguard-cvss-scores/1';
/** CVSS 3.1 has 2,592 base vectors; OSV's records use some thousands of 4.0 ones. */
const MAX_SCORES = 50_000;
const MAX_VECTOR_CHARS = 512;

/**
 * CVSS base scores `repoguard check` computed before, kept beside its zip catalogs: scoring a
 * CVSS 4.0 vector takes the calculator several milliseconds, a few such vectors were a fifth of a
 * small check's time, and the same advisories are reported again at every check of a project.
 * A vector never seen is scored and kept for the next check (`save`).
 *
 * Whoever writes this file decides severities (raise one to fail a build, or lower one to 0,
 * UNKNOWN, which no severity rule fails on), so it is trusted no further than a catalog: private to
 * the user (see private-cache-file.ts), written by this release, its body matching the checksum in
 * its header, and made for these very zips, by the identity a catalog is bound to (device, inode,
 * size, mtime, ctime: a copy restored onto another machine, from another branch's CI run say, has
 * another ctime and inode, so it is not used there). Only a check of zips keeps scores.
 */
export class FileCvssScoreCache {
  private readonly scores = new Map<string, number | null>();
  private added = 0;

  private loaded = false;

  constructor(
    private readonly dir: string,
    private readonly zips: readonly OsvZipIdentity[],
    private readonly release = 'unpacked',
  ) {}

  readonly score: CvssScorer = (vector) => {
    if (!this.loaded) {
      // On the first vector: a check that scores none reads nothing.
      this.loaded = true;
      for (const [vector, base] of this.read()) this.scores.set(vector, base);
    }
    const known = this.scores.get(vector);
    if (known !== undefined) return known;
    const base = scoreCvssVector(vector);
    if (this.scores.size < MAX_SCORES && vector.length <= MAX_VECTOR_CHARS) {
      this.scores.set(vector, base);
      this.added++;
    }
    return base;
  };

  /** Writes the scores when this check added any; best effort, as the catalogs are. */
  save(): void {
    if (this.added === 0) return;
    const body = JSON.stringify([...this.scores]);
    writeVouchedBody(this.dir, this.file(), body, (sha) => headerFor(this.release, this.zips, sha));
    this.added = 0;
  }

  file(): string {
    return path.join(this.dir, 'cvss-scores.json');
  }

  private read(): [string, number | null][] {
    const body = readVouchedBody(this.dir, this.file(), (sha) => headerFor(this.release, this.zips, sha));
    if (body === undefined) return [];
    try {
      const entries: unknown = JSON.parse(body);
      return Array.isArray(entries) && entries.length <= MAX_SCORES && entries.every(isEntry) ? entries : [];
    } catch {
      return [];
    }
  }
}

function headerFor(release: string, zips: readonly OsvZipIdentity[], bodyChecksum: string) {
  return {
    format: FORMAT,
    release,
    zips: zips.map((zip) => [zip.dev, zip.ino, zip.size, zip.mtimeMs, zip.ctimeMs]),
    body: bodyChecksum,
  };
}

function isEntry(value: unknown): value is [string, number | null] {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [vector, base] = value as unknown[];
  return (
    typeof vector === 'string' &&
    vector.length <= MAX_VECTOR_CHARS &&
    (base === null || (typeof base === 'number' && base >= 0 && base <= 10))
  );
}
