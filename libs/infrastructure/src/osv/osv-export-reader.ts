// fs.promises, not node:fs/promises: Node loads it on first use, and a check whose catalogs are
// cached never reads an export this way (it costs a small check about 1 ms at start).
import { promises as fsPromises, read as readFd, readdirSync, readFileSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import type * as Yauzl from 'yauzl';
import { osvRecordProblem, ValidationError, type OsvRecord } from '@repoguard/domain';
import { DEFAULT_OSV_EXPORT_LIMITS, exportTooLarge, type OsvExportLimits } from './osv-export-limits';
import { fflate, yauzl } from './zip-libraries';

export interface OsvExportReadResult {
  readonly records: OsvRecord[];
  readonly problems: OsvExportProblem[];
}

/**
 * Reads OSV's export format: a per-ecosystem `all.zip` (one JSON record per entry), a directory
 * of JSON files (searched recursively), or a single JSON file holding one record or an array.
 */
export function readOsvExport(source: string): OsvExportReadResult {
  const result: OsvExportReadResult = { records: [], problems: [] };
  const stat = statSync(source);
  if (stat.isDirectory()) {
    for (const file of walkJsonFiles(source)) addJson(result, file, readFileSync(file, 'utf8'));
  } else {
    return readOsvExportBytes(readFileSync(source), source);
  }
  return result;
}

/**
 * The same, from bytes already in memory; `name` says which format. The declared sizes of a zip's
 * entries are held to the limits before any is inflated, and fflate inflates no entry past its
 * declared size, so a zip bomb costs no more memory than the caps.
 */
export function readOsvExportBytes(
  bytes: Uint8Array,
  name: string,
  limits: OsvExportLimits = DEFAULT_OSV_EXPORT_LIMITS,
): OsvExportReadResult {
  const result: OsvExportReadResult = { records: [], problems: [] };
  if (isZipName(name)) {
    let count = 0;
    let total = 0;
    const entries = fflate().unzipSync(bytes, {
      filter: (entry) => {
        if (!entry.name.toLowerCase().endsWith('.json')) return false;
        if (++count > limits.maxEntries) throw exportTooLarge(limits, 'maxEntries', 'the export holds');
        if (entry.originalSize > limits.maxEntryBytes)
          throw exportTooLarge(limits, 'maxEntryBytes', `entry ${printable(entry.name)} unzips to`);
        total += entry.originalSize;
        if (total > limits.maxUnzippedBytes)
          throw exportTooLarge(limits, 'maxUnzippedBytes', 'the export unzips to');
        return true;
      },
    });
    const decoder = new TextDecoder();
    for (const entry of Object.keys(entries).sort())
      addJson(result, `${name}:${entry}`, decoder.decode(entries[entry]));
  } else {
    addJson(result, name, new TextDecoder().decode(bytes));
  }
  return result;
}

/** Entries that were not OSV JSON, with the reason; reading goes on past them. */
export type OsvExportProblem = { readonly entry: string; readonly problem: string };

/**
 * An export read one record at a time. `records` can be iterated once; `problems` fills as it is.
 * An error thrown while iterating (a cap passed, a damaged zip) means the export must be refused
 * whole: whoever consumes it writes everything in one transaction, rolled back on that error.
 */
export interface OsvExportStream {
  readonly records: AsyncIterable<OsvRecord>;
  readonly problems: OsvExportProblem[];
  /** Zip entries left unread as `unchangedEntries` said, so far: each one record, unchanged. */
  readonly unread: { count: number };
}

/**
 * Of these ids (each from a zip entry named `<id>.json`, as OSV names them), the digest of the
 * entry each held record was read from (see entryDigestOf); ids held without one are absent. An
 * entry whose directory declares that same digest is not read at all: its bytes are never
 * inflated, so a directory lying about them changes nothing, and what is held stays as it was.
 */
export type UnchangedEntries = (ids: readonly string[]) => Promise<ReadonlyMap<string, string>>;

// The digest of the entry each record came from, when that entry held it alone under its id's name
// and its bytes matched the directory's CRC-32. Keyed by the record object, which goes on to the
// mirror unchanged; records not from such an entry have none.
const entryDigests = new WeakMap<OsvRecord, string>();

/** The digest of the zip entry `record` was read from alone, if it was (see UnchangedEntries). */
export function entryDigestOf(record: OsvRecord): string | undefined {
  return entryDigests.get(record);
}

/**
 * The same as readOsvExport, within limits, for exports from outside: a zip is read from disk one
 * entry at a time (never whole), its declared sizes held to the caps before the first record is
 * yielded and each entry inflated with its declared size as zlib's output limit, so a zip bomb
 * stops at a cap with ADVISORY_EXPORT_TOO_LARGE naming it, or at a lying header with
 * ADVISORY_EXPORT_INVALID, having cost at most a cap's worth of memory. Directories are held to
 * the caps by their files' sizes before the first is read, and a JSON file by its size (read whole:
 * one JSON document does not stream). Nothing is opened until the records are iterated.
 */
export function streamOsvExportWithin(
  source: string,
  limits: OsvExportLimits,
  name: string = source,
  unchanged?: UnchangedEntries,
): OsvExportStream {
  const problems: OsvExportProblem[] = [];
  const unread = { count: 0 };
  return { problems, unread, records: readRecordsWithin(source, limits, name, problems, unchanged, unread) };
}

/**
 * The records of `source`, within limits, its problems added to `problems` as they are met; zip
 * entries `unchanged` names are left unread and counted in `unread`.
 */
export async function* readRecordsWithin(
  source: string,
  limits: OsvExportLimits,
  name: string,
  problems: OsvExportProblem[],
  unchanged?: UnchangedEntries,
  unread: { count: number } = { count: 0 },
): AsyncGenerator<OsvRecord> {
  const info = await fsPromises.stat(source);
  if (info.isDirectory()) yield* readJsonDirectory(source, limits, problems);
  else if (isZipName(name)) yield* readZipFile(source, name, limits, problems, unchanged, unread);
  else {
    if (info.size > limits.maxUnzippedBytes)
      throw exportTooLarge(limits, 'maxUnzippedBytes', `${name} holds`);
    yield* parseJson(problems, name, new TextDecoder().decode(await fsPromises.readFile(source)));
  }
}

/** A whole export in memory, for callers that need an array (tests, tools); imports stream. */
export async function readOsvExportWithin(
  source: string,
  limits: OsvExportLimits,
  name: string = source,
): Promise<OsvExportReadResult> {
  return collectOsvExport(streamOsvExportWithin(source, limits, name));
}

export async function collectOsvExport(stream: OsvExportStream): Promise<OsvExportReadResult> {
  const records: OsvRecord[] = [];
  for await (const record of stream.records) records.push(record);
  return { records, problems: stream.problems };
}

async function* readJsonDirectory(
  dir: string,
  limits: OsvExportLimits,
  problems: OsvExportProblem[],
): AsyncGenerator<OsvRecord> {
  const files = [...walkJsonFiles(dir)];
  if (files.length > limits.maxEntries) throw exportTooLarge(limits, 'maxEntries', `${dir} holds`);
  let total = 0;
  for (const file of files) {
    const { size } = await fsPromises.stat(file);
    if (size > limits.maxEntryBytes) throw exportTooLarge(limits, 'maxEntryBytes', `${file} holds`);
    total += size;
    if (total > limits.maxUnzippedBytes) throw exportTooLarge(limits, 'maxUnzippedBytes', `${dir} holds`);
  }
  for (const file of files) yield* parseJson(problems, file, await fsPromises.readFile(file, 'utf8'));
}

/** What reading an entry needs of yauzl's Entry, kept for every entry of an export until read. */
type ZipEntryRef = Pick<
  Yauzl.Entry,
  | 'fileName'
  | 'uncompressedSize'
  | 'compressedSize'
  | 'compressionMethod'
  | 'relativeOffsetOfLocalHeader'
  | 'crc32'
> & {
  readonly encrypted: boolean;
  /** Where its local header, name, extra field and data end, give or take LOCAL_SLACK. */
  readonly reach: number;
};

// Entries asked about at once, by the mirror a batch of ids at a time.
const DIGEST_BATCH = 1000;

async function* readZipFile(
  file: string,
  name: string,
  limits: OsvExportLimits,
  problems: OsvExportProblem[],
  unchanged: UnchangedEntries | undefined,
  unread: { count: number },
): AsyncGenerator<OsvRecord> {
  const handle = await fsPromises.open(file, 'r');
  // yauzl reads the central directory (zip64 too); entries are read and inflated here, checked.
  let zip: Yauzl.ZipFile;
  try {
    zip = await yauzl().fromRandomAccessReaderPromise(windowedReader(handle.fd), (await handle.stat()).size, {
      lazyEntries: true,
      autoClose: false,
    });
  } catch (error) {
    await handle.close();
    throw error;
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw exportTooLarge(limits, 'maxEntries', 'the export holds');
    const entries: ZipEntryRef[] = [];
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.toLowerCase().endsWith('.json')) continue;
      // The caps hold the sizes the zip declares, all of them before the first record is yielded;
      // inflating then stops at the declared size.
      if (entry.uncompressedSize > limits.maxEntryBytes)
        throw exportTooLarge(limits, 'maxEntryBytes', `entry ${printable(entry.fileName)} unzips to`);
      total += entry.uncompressedSize;
      if (total > limits.maxUnzippedBytes)
        throw exportTooLarge(limits, 'maxUnzippedBytes', 'the export unzips to');
      const ref = {
        fileName: entry.fileName,
        uncompressedSize: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        compressionMethod: entry.compressionMethod,
        relativeOffsetOfLocalHeader: entry.relativeOffsetOfLocalHeader,
        crc32: entry.crc32,
        encrypted: entry.isEncrypted(),
        reach:
          entry.relativeOffsetOfLocalHeader + 30 + entry.fileNameLength + entry.compressedSize + LOCAL_SLACK,
      };
      checkDeclared(ref);
      entries.push(ref);
    }
    // Entry order as the in-memory reader gives it, so both read an export alike.
    entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    let window: ReadWindow = { start: 0, bytes: Buffer.alloc(0) };
    let skip: ReadonlySet<number> = new Set();
    for (let i = 0; i < entries.length; i++) {
      if (unchanged && i % DIGEST_BATCH === 0) skip = await unchangedAmong(entries, i, unchanged);
      if (skip.has(i)) {
        unread.count++;
        continue;
      }
      const entry = entries[i]!;
      if (!windowHolds(window, entry.relativeOffsetOfLocalHeader, entry.reach))
        window = await readAt(handle, entry.relativeOffsetOfLocalHeader, readAheadEnd(entries, i));
      const bytes = await readEntry(handle, window, entry);
      const known = problems.length;
      const records = [...parseJson(problems, `${name}:${entry.fileName}`, new TextDecoder().decode(bytes))];
      // Only an entry that is its one record, named by its id, with nothing to report, can stand
      // for it unread next time: skipping it then leaves out nothing a full read would say.
      if (problems.length === known && records.length === 1 && records[0]!.id === entryId(entry.fileName))
        entryDigests.set(records[0]!, entryDigest(entry));
      yield* records;
    }
  } finally {
    await handle.close();
    zip.close();
  }
}

/** The indexes, from `from` on, of a batch of entries the mirror holds as they are. */
async function unchangedAmong(
  entries: readonly ZipEntryRef[],
  from: number,
  unchanged: UnchangedEntries,
): Promise<ReadonlySet<number>> {
  const ids = new Map<number, string>();
  for (let i = from; i < Math.min(entries.length, from + DIGEST_BATCH); i++) {
    const id = entryId(entries[i]!.fileName);
    if (id !== null) ids.set(i, id);
  }
  if (ids.size === 0) return new Set();
  const held = await unchanged([...new Set(ids.values())]);
  const skip = new Set<number>();
  for (const [i, id] of ids) if (held.get(id) === entryDigest(entries[i]!)) skip.add(i);
  return skip;
}

/** The id an entry's name gives, `<id>.json` in any folder; null when it gives none. */
function entryId(fileName: string): string | null {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  if (!base.endsWith('.json')) return null;
  const id = base.slice(0, -'.json'.length);
  return id.length > 0 && id.length <= 128 ? id : null;
}

/**
 * Which reading of an entry a digest vouches for. Bump it whenever a release reads or checks
 * entries differently (osvRecordProblem refusing more, a field read otherwise): an entry left
 * unread by its digest is never checked again, so digests of the older reading must stop matching,
 * and every entry is read once more, by this release, at the next import.
 */
export const ENTRY_READING = 1;

/** The reading, and the directory's CRC-32 and size of the entry: what it claims its bytes are. */
function entryDigest(entry: ZipEntryRef): string {
  return `r${ENTRY_READING}:${entry.crc32.toString(16).padStart(8, '0')}:${entry.uncompressedSize}`;
}

/**
 * yauzl's reader for the central directory: yauzl reads it with two small reads per entry, each a
 * trip through libuv's thread pool (1.9 s for 50,000 entries at a load of 14); this serves them
 * from windows of the file read READ_AHEAD at a time (0.35 s). Its close is the base class's, a
 * no-op: the file handle is readZipFile's to close. The class is made on first use, as yauzl is
 * loaded (see zip-libraries).
 */
function windowedReader(fd: number): Yauzl.RandomAccessReader {
  // Named here too: the packed bundle shortens the variable's name, and a class takes it from that.
  WindowedReader ??= class WindowedReader extends yauzl().RandomAccessReader {
    private start = 0;
    private bytes = Buffer.alloc(0);

    constructor(private readonly fd: number) {
      super();
    }

    override read(
      buffer: Buffer,
      offset: number,
      length: number,
      position: number,
      callback: (error: Error | null, bytesRead?: number) => void,
    ): void {
      const at = position - this.start;
      if (at >= 0 && at + length <= this.bytes.length) {
        this.bytes.copy(buffer, offset, at, at + length);
        process.nextTick(callback, null, length);
        return;
      }
      const window = Buffer.allocUnsafe(Math.max(length, READ_AHEAD));
      readFd(this.fd, window, 0, window.length, position, (error, bytesRead) => {
        if (error) return callback(error);
        this.start = position;
        this.bytes = window.subarray(0, bytesRead);
        callback(null, this.bytes.copy(buffer, offset, 0, Math.min(length, bytesRead)));
      });
    }
  };
  return new WindowedReader(fd);
}

let WindowedReader: (new (fd: number) => Yauzl.RandomAccessReader) | undefined;

function invalidEntry(entry: ZipEntryRef, problem: string): ValidationError {
  return new ValidationError(
    `entry ${printable(entry.fileName)} ${problem}: a damaged or crafted zip; stopped reading and imported nothing.`,
    [{ field: 'source', problem }],
    'ADVISORY_EXPORT_INVALID',
  );
}

/** What the central directory alone shows to be unreadable or lying, refused before any record. */
function checkDeclared(entry: ZipEntryRef): void {
  const declared = entry.uncompressedSize;
  if (entry.encrypted) throw invalidEntry(entry, 'is encrypted');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw invalidEntry(entry, `uses compression method ${entry.compressionMethod}, not deflate`);
  // Deflate adds at most 5 bytes per 16 KiB block to incompressible data; stored adds nothing.
  if (entry.compressedSize > declared + Math.ceil(declared / 16384) * 5 + 64)
    throw invalidEntry(
      entry,
      `is larger compressed (${entry.compressedSize} bytes) than its declared ${declared} bytes`,
    );
}

/** Bytes of the zip read at once, from `start`. */
interface ReadWindow {
  readonly start: number;
  readonly bytes: Buffer;
}

// Zips store entries one after another, and OSV's in name order, the order they are read in: a
// run of them is fetched in one read of up to READ_AHEAD bytes rather than two reads per entry.
const READ_AHEAD = 1024 * 1024;
// Room past the compressed data for a local extra field the directory does not show, and a data
// descriptor; an entry whose local header reaches further is read on its own.
const LOCAL_SLACK = 1024;

function windowHolds(window: ReadWindow, from: number, to: number): boolean {
  return from >= window.start && to <= window.start + window.bytes.length;
}

/** The end of the run of entries from `i` on that each start where the one before ends. */
function readAheadEnd(entries: readonly ZipEntryRef[], i: number): number {
  const start = entries[i]!.relativeOffsetOfLocalHeader;
  let end = entries[i]!.reach;
  for (let j = i + 1; j < entries.length; j++) {
    const next = entries[j]!;
    const previous = entries[j - 1]!;
    const contiguous =
      next.relativeOffsetOfLocalHeader > previous.relativeOffsetOfLocalHeader &&
      next.relativeOffsetOfLocalHeader <= previous.reach;
    if (!contiguous || next.reach - start > READ_AHEAD) break;
    end = next.reach;
  }
  return end;
}

/** Up to `end - start` bytes from `start`; fewer at the end of the file. */
async function readAt(handle: FileHandle, start: number, end: number): Promise<ReadWindow> {
  const bytes = Buffer.alloc(end - start);
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
  return { start, bytes: bytes.subarray(0, bytesRead) };
}

/**
 * One entry's bytes, never more than its declared size: deflate is inflated with that as the
 * output limit, which zlib enforces chunk by chunk, so a lying header costs one chunk, not memory.
 */
async function readEntry(handle: FileHandle, window: ReadWindow, entry: ZipEntryRef): Promise<Buffer> {
  const declared = entry.uncompressedSize;
  // The local header only says how far its name and extra field reach; the directory said the rest.
  const at = entry.relativeOffsetOfLocalHeader - window.start;
  const header = window.bytes.subarray(at, at + 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50)
    throw invalidEntry(entry, 'has no local header where the directory points');
  const dataStart = at + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  let compressed = window.bytes.subarray(dataStart, dataStart + entry.compressedSize);
  if (compressed.length < entry.compressedSize)
    compressed = (
      await readAt(handle, window.start + dataStart, window.start + dataStart + entry.compressedSize)
    ).bytes;
  if (compressed.length < entry.compressedSize) throw invalidEntry(entry, 'is cut short');
  let bytes: Buffer = compressed;
  if (entry.compressionMethod === 8) {
    try {
      bytes = inflateRawSync(compressed, { maxOutputLength: Math.max(declared, 1) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw invalidEntry(entry, `unzips to more than the ${declared} bytes its header declares`);
      throw invalidEntry(entry, `does not inflate (${(error as Error).message})`);
    }
  }
  if (bytes.length !== declared)
    throw invalidEntry(entry, `unzips to ${bytes.length} bytes, not the ${declared} declared`);
  // The directory's CRC-32 is what a later import compares to skip the entry unread: it must be
  // these bytes', or a crafted zip could store a digest that hides the genuine record's next change.
  if (crc32(bytes) !== entry.crc32)
    throw invalidEntry(entry, 'does not match the CRC-32 its directory entry declares');
  return bytes;
}

export function isZipName(name: string): boolean {
  return name.toLowerCase().split('?')[0]!.endsWith('.zip');
}

/** Entry names come from the zip: no control characters into a terminal, and not a page of them. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

function addJson(result: OsvExportReadResult, entry: string, text: string): void {
  for (const record of parseJson(result.problems, entry, text)) result.records.push(record);
}

function* parseJson(problems: OsvExportProblem[], entry: string, text: string): Generator<OsvRecord> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push({ entry, problem: `not valid JSON: ${(error as Error).message}` });
    return;
  }
  for (const candidate of Array.isArray(parsed) ? parsed : [parsed]) {
    const problem = osvRecordProblem(candidate);
    if (problem === null) yield candidate as OsvRecord;
    else problems.push({ entry, problem: `not an OSV record: ${problem}` });
  }
}

function* walkJsonFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkJsonFiles(full);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) yield full;
  }
}
