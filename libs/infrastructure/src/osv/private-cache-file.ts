import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  type Stats,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';

// The files `repoguard check` keeps between runs (zip catalogs, CVSS scores) decide what a check
// reports, so whoever can write one can hide advisories from it or change their severity: they are
// read and written only in a folder that is this user's and writable by no one else, and only when
// the file is too (both are made so: 0700 and 0600). That does not help when the folder itself
// comes from someone else (a CI cache restored from another branch's run).

/** The file's bytes, or undefined when it is absent, unreadable, or not private to this user. */
function readPrivateFile(dir: string, file: string): Buffer | undefined {
  try {
    if (!privateDirectory(dir)) return undefined;
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      if (!isPrivate(fstatSync(fd), 'file')) return undefined;
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Reads of parts of an open private file, for a caller that checks each part it reads. */
export interface PrivateFileParts {
  /** The file's size when it was opened. */
  readonly size: number;
  /** `length` bytes from `position`, fewer only past the end. */
  read(position: number, length: number): Buffer;
  close(): void;
}

/** The file opened for reads of its parts, or undefined as readPrivateFile would give undefined. */
export function openPrivateFile(dir: string, file: string): PrivateFileParts | undefined {
  let fd: number;
  try {
    if (!privateDirectory(dir)) return undefined;
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  const close = () => {
    try {
      closeSync(fd);
    } catch {
      // Closed or gone (a network folder): nothing more is read from it either way.
    }
  };
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch {
    close();
    return undefined;
  }
  if (!isPrivate(stats, 'file')) {
    close();
    return undefined;
  }
  return {
    size: stats.size,
    // A read that fails (a network folder's file replaced from elsewhere) reads as cut short.
    read: (position, length) => {
      const bytes = Buffer.allocUnsafe(length);
      let done = 0;
      try {
        while (done < length) {
          const read = readSync(fd, bytes, done, length - done, position + done);
          if (read === 0) break;
          done += read;
        }
      } catch {
        // What was read so far is returned; the caller's checks refuse it.
      }
      return bytes.subarray(0, done);
    },
    close,
  };
}

/**
 * Best effort: a cache that cannot be written only makes the next check as slow as this one.
 * Written to a temporary file renamed into place, so two checks at once never see half a file.
 */
export function writePrivateFile(dir: string, file: string, content: string | readonly Uint8Array[]): void {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateDirectory(dir)) return;
    if (typeof content === 'string') writeFileSync(temporary, content, { mode: 0o600 });
    else writeParts(temporary, content);
    renameSync(temporary, file);
  } catch {
    // Read-only home, full disk: the check goes on without a cache, and leaves no part of one.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Not made, or not ours to remove.
    }
  }
}

/** The parts one after another, without first joining them into one more copy. */
function writeParts(file: string, parts: readonly Uint8Array[]): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    for (const part of parts) for (let done = 0; done < part.length;) done += writeSync(fd, part, done);
  } finally {
    closeSync(fd);
  }
}

/** Removes a cache file, if it is there (best effort, as writePrivateFile). */
export function removePrivateFile(dir: string, file: string): void {
  try {
    if (privateDirectory(dir)) rmSync(file, { force: true });
  } catch {
    // Left for the next write to replace.
  }
}

/**
 * The body of a cache file whose first line is the header `headerFor` gives for that body's
 * checksum (read as readPrivateFile reads): one another release wrote, made for other input, cut
 * short or edited is not read. Its bytes, for a reader that decodes only what it needs.
 */
export function readVouchedBytes(
  dir: string,
  file: string,
  headerFor: (bodyChecksum: string) => unknown,
): Buffer | undefined {
  const bytes = readPrivateFile(dir, file);
  const newline = bytes?.indexOf(0x0a) ?? -1;
  if (bytes === undefined || newline < 0) return undefined;
  const body = bytes.subarray(newline + 1);
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', 0, newline));
  } catch {
    return undefined;
  }
  return JSON.stringify(header) === JSON.stringify(headerFor(checksum(body))) ? body : undefined;
}

/** As readVouchedBytes, the body as text. */
export function readVouchedBody(
  dir: string,
  file: string,
  headerFor: (bodyChecksum: string) => unknown,
): string | undefined {
  return readVouchedBytes(dir, file, headerFor)?.toString('utf8');
}

/** Writes `body` under the header `headerFor` gives for its checksum, as writePrivateFile writes. */
export function writeVouchedBody(
  dir: string,
  file: string,
  body: string,
  headerFor: (bodyChecksum: string) => unknown,
): void {
  writePrivateFile(dir, file, `${JSON.stringify(headerFor(checksum(body)))}\n${body}`);
}

/** A file readVouchedHead read: its head now, its body when asked for. */
export interface VouchedHead {
  readonly head: Buffer;
  /** The body, read now from the file as it is, if it is the one the header vouched for. */
  body(): Buffer | undefined;
}

/**
 * A cache file of three parts: a header line holding `headerFor` of the head's checksum and the
 * body's checksum, a head line, and the body (the rest). The header and head are read and checked
 * at once, from the first bytes of the file; the body only when asked for, then read afresh (as
 * readPrivateFile reads) and given only if it is the body that header vouched for. A large body
 * a caller often does not need is then not read at all: a check of npm packages reads no more of
 * PyPI's 400 KB catalog than its head.
 */
export function readVouchedHead(
  dir: string,
  file: string,
  headerFor: (headChecksum: string) => unknown,
): VouchedHead | undefined {
  let start = readPrivateStart(dir, file, HEAD_BYTES);
  if (start !== undefined && !start.whole && newlines(start.bytes) === undefined) {
    // A head longer than the first read (a zip with many entries that are not OSV JSON).
    const bytes = readPrivateFile(dir, file);
    start = bytes && { bytes, whole: true };
  }
  const ends = start && newlines(start.bytes);
  if (start === undefined || ends === undefined) return undefined;
  return vouchedHeadOf(start.bytes, start.whole, ends.headerEnd, ends.headEnd, dir, file, headerFor);
}

/** Where the header line and the head line end, if both do in these bytes. */
function newlines(bytes: Buffer): { headerEnd: number; headEnd: number } | undefined {
  const headerEnd = bytes.indexOf(0x0a);
  const headEnd = headerEnd < 0 ? -1 : bytes.indexOf(0x0a, headerEnd + 1);
  return headEnd < 0 ? undefined : { headerEnd, headEnd };
}

function vouchedHeadOf(
  bytes: Buffer,
  whole: boolean,
  headerEnd: number,
  headEnd: number,
  dir: string,
  file: string,
  headerFor: (headChecksum: string) => unknown,
): VouchedHead | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8', 0, headerEnd));
  } catch {
    return undefined;
  }
  const head = bytes.subarray(headerEnd + 1, headEnd);
  const bodySum = (parsed as { body?: unknown } | null)?.body;
  if (typeof bodySum !== 'string') return undefined;
  if (JSON.stringify(parsed) !== JSON.stringify(twoPartHeader(headerFor(checksum(head)), bodySum)))
    return undefined;
  const bodyAt = headEnd + 1;
  return {
    head,
    body: () => {
      // Read afresh unless it was read whole: a file replaced since holds another body, refused.
      const now = whole ? bytes : readPrivateFile(dir, file);
      const body = now?.subarray(bodyAt);
      return body !== undefined && checksum(body) === bodySum ? body : undefined;
    },
  };
}

/** Writes a file readVouchedHead reads, as writePrivateFile writes. The head holds no newline. */
export function writeVouchedHead(
  dir: string,
  file: string,
  head: string,
  body: string,
  headerFor: (headChecksum: string) => unknown,
): void {
  const header = twoPartHeader(headerFor(checksum(head)), checksum(body));
  writePrivateFile(dir, file, `${JSON.stringify(header)}\n${head}\n${body}`);
}

function twoPartHeader(header: unknown, bodyChecksum: string) {
  return { header, body: bodyChecksum };
}

/** How much of a file readVouchedHead reads first: a catalog's header and summary take 400 bytes. */
const HEAD_BYTES = 8 * 1024;

/** The first `length` bytes of a private file (as readPrivateFile reads), and whether that is all of it. */
function readPrivateStart(
  dir: string,
  file: string,
  length: number,
): { bytes: Buffer; whole: boolean } | undefined {
  const parts = openPrivateFile(dir, file);
  if (parts === undefined) return undefined;
  try {
    const bytes = parts.read(0, Math.min(parts.size, length));
    return { bytes, whole: bytes.length === parts.size };
  } finally {
    parts.close();
  }
}

/**
 * The CRC-32 of the text's UTF-8, in hex: these files catch damage and edits, not forgers (whoever
 * can write one can write any digest beside it; the folder's privacy is what keeps them out).
 * zlib is loaded to inflate zip entries anyway, and node:crypto took longer to load than a small
 * check takes to match.
 */
export function checksum(text: string | Uint8Array): string {
  return crc32(text).toString(16).padStart(8, '0');
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
export function privateDirectory(dir: string): boolean {
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
