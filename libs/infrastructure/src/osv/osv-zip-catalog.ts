import { readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import type * as Yauzl from 'yauzl';
import {
  advisoryKey,
  osvRecordProblem,
  packagesNamed,
  ValidationError,
  type OsvRecord,
} from '@repoguard/domain';
import { exportTooLarge, type OsvExportLimits } from './osv-export-limits';
import { yauzl } from './zip-libraries';

/** What the catalog keeps of one record: enough to replay AdvisoryIndex.add without the record. */
export interface CatalogRecord {
  readonly id: string;
  readonly modified: string;
  readonly withdrawn: boolean;
  /** advisoryKey of each package the record names. */
  readonly keys: readonly string[];
}

/** One JSON entry of the zip and the usable records in it, in the order the entry holds them. */
export interface CatalogEntry {
  readonly name: string;
  /** Where the entry's local header starts. */
  readonly offset: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly records: readonly CatalogRecord[];
  /** Where the entry's inflated bytes start in the texts kept beside the catalog (scanOsvZip's). */
  readonly textAt: number;
  /** CRC-32 of the inflated bytes: what is read of them, from the zip or from those texts, is checked. */
  readonly textCrc: number;
}

/**
 * Which records an OSV export zip holds and which packages each names, so a check can inflate
 * only the entries naming the packages it scans. Entries are in name order (as the whole-zip
 * reader adds them); `problems` are the entries that were not OSV JSON, named inside the zip.
 */
export interface OsvZipCatalog {
  readonly entries: readonly CatalogEntry[];
  readonly problems: readonly { readonly entry: string; readonly problem: string }[];
}

/** A catalog and the records read while making it, by entry index (a first run needs no re-read). */
export interface ScannedOsvZip {
  readonly catalog: OsvZipCatalog;
  readonly records: ReadonlyMap<number, readonly OsvRecord[]>;
  /**
   * The catalogued entries' inflated bytes in catalog order, one after another (each entry's
   * textAt), to keep beside the catalog: a check then reads an entry without inflating it.
   * Undefined when the zip's JSON unzips to more than MAX_KEPT_TEXT_BYTES: it is read instead.
   */
  readonly texts: readonly Buffer[] | undefined;
}

/**
 * The most a zip's JSON may unzip to for its entries to be kept inflated: they are held in memory
 * while it is catalogued, then written out. OSV's export of one ecosystem unzips to a few MB
 * (PyPI's whole: 6 MB); npm's, with its malicious packages, to far more, and is read from the zip.
 */
const MAX_KEPT_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * Reads every JSON entry of an export zip held in memory: the declared sizes are held to the
 * limits (in the zip's order, as the whole-zip reader does) before anything is inflated, and no
 * entry inflates past its declared size.
 */
export async function scanOsvZip(bytes: Buffer, limits: OsvExportLimits): Promise<ScannedOsvZip> {
  const listed = await listJsonEntries(bytes, limits);
  const entries: CatalogEntry[] = [];
  const problems: { entry: string; problem: string }[] = [];
  const records = new Map<number, OsvRecord[]>();
  // Decided by the sizes the zip declares (held to them as they are inflated), before any is kept.
  const declared = listed.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  const texts: Buffer[] | undefined = declared <= MAX_KEPT_TEXT_BYTES ? [] : undefined;
  let textAt = 0;
  for (const entry of listed) {
    const found: OsvRecord[] = [];
    const data = inflateEntry(zipBytesOf(bytes), entry);
    for (const item of parseEntry(decodeText(data))) {
      if ('problem' in item) problems.push({ entry: entry.name, problem: item.problem });
      else found.push(item.record);
    }
    if (found.length === 0) continue;
    records.set(entries.length, found);
    entries.push({ ...entry, records: found.map(catalogRecord), textAt, textCrc: crc32(data) });
    textAt += data.length;
    texts?.push(data);
  }
  return { catalog: { entries, problems }, records, texts };
}

/** Where a catalogued entry's bytes are read from: the zip in memory, or its open file. */
export interface ZipBytes {
  readonly length: number;
  /** `length` bytes from `position`, fewer only past the end. */
  read(position: number, length: number): Buffer;
}

export function zipBytesOf(bytes: Buffer): ZipBytes {
  return { length: bytes.length, read: (position, length) => bytes.subarray(position, position + length) };
}

/** Reads of an open file at given positions: a check reads the entries it needs, not the zip. */
export function zipBytesAt(fd: number, size: number): ZipBytes {
  return {
    length: size,
    read: (position, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      let done = 0;
      while (done < buffer.length) {
        const read = readSync(fd, buffer, done, buffer.length - done, position + done);
        if (read === 0) break;
        done += read;
      }
      return buffer.subarray(0, done);
    },
  };
}

/**
 * The records of one catalogued entry, read from the zip and checked against what the catalog
 * says of them; undefined when they differ (a catalog not made from these bytes).
 */
export function readCatalogEntry(bytes: ZipBytes, entry: CatalogEntry): OsvRecord[] | undefined {
  let data: Buffer;
  try {
    data = inflateEntry(bytes, entry);
  } catch {
    return undefined;
  }
  return catalogEntryRecords(data, entry);
}

/**
 * The records of one catalogued entry from its inflated bytes (read from the zip, or from the
 * texts kept beside the catalog), checked against what the catalog says of them: the bytes'
 * CRC-32, then each record's id, dates and packages. Undefined when any differs.
 */
export function catalogEntryRecords(data: Buffer, entry: CatalogEntry): OsvRecord[] | undefined {
  if (data.length !== entry.uncompressedSize || crc32(data) !== entry.textCrc) return undefined;
  const records: OsvRecord[] = [];
  for (const item of parseEntry(decodeText(data))) if ('record' in item) records.push(item.record);
  if (records.length !== entry.records.length) return undefined;
  const same = records.every((record, i) => {
    const expected = entry.records[i]!;
    const actual = catalogRecord(record);
    return (
      actual.id === expected.id &&
      actual.modified === expected.modified &&
      actual.withdrawn === expected.withdrawn &&
      actual.keys.length === expected.keys.length &&
      actual.keys.every((k, j) => k === expected.keys[j])
    );
  });
  return same ? records : undefined;
}

export function catalogRecord(record: OsvRecord): CatalogRecord {
  const keys = [...new Set(packagesNamed(record).map((p) => advisoryKey(p.ecosystem, p.name)))];
  return { id: record.id, modified: record.modified, withdrawn: Boolean(record.withdrawn), keys };
}

type ListedEntry = Omit<CatalogEntry, 'records' | 'textAt' | 'textCrc'>;

async function listJsonEntries(bytes: Buffer, limits: OsvExportLimits): Promise<ListedEntry[]> {
  let zip: Yauzl.ZipFile;
  try {
    zip = await yauzl().fromBufferPromise(bytes, { lazyEntries: true, strictFileNames: false });
  } catch (error) {
    throw invalidZip(`is not a readable zip (${(error as Error).message})`);
  }
  const listed: ListedEntry[] = [];
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.toLowerCase().endsWith('.json')) continue;
      if (listed.length + 1 > limits.maxEntries)
        throw exportTooLarge(limits, 'maxEntries', 'the export holds');
      if (entry.uncompressedSize > limits.maxEntryBytes)
        throw exportTooLarge(limits, 'maxEntryBytes', `entry ${printable(entry.fileName)} unzips to`);
      total += entry.uncompressedSize;
      if (total > limits.maxUnzippedBytes)
        throw exportTooLarge(limits, 'maxUnzippedBytes', 'the export unzips to');
      if (entry.isEncrypted()) throw invalidZip(`entry ${printable(entry.fileName)} is encrypted`);
      listed.push({
        name: entry.fileName,
        offset: entry.relativeOffsetOfLocalHeader,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        method: entry.compressionMethod,
      });
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw invalidZip(`is not a readable zip (${(error as Error).message})`);
  } finally {
    zip.close();
  }
  // Name order, as the whole-zip reader adds records: the same id's later copy wins alike.
  return listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const LOCAL_HEADER = 0x04034b50;

function inflateEntry(bytes: ZipBytes, entry: ListedEntry): Buffer {
  // Named only in an error: a check reading its entries does not clean every name.
  const label = () => `entry ${printable(entry.name)}`;
  const header = entry.offset + 30 > bytes.length ? undefined : bytes.read(entry.offset, 30);
  if (header?.length !== 30 || header.readUInt32LE(0) !== LOCAL_HEADER)
    throw invalidZip(`${label()} has no local header where the zip says`);
  const start = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw invalidZip(`${label()} is cut short`);
  const compressed = bytes.read(start, entry.compressedSize);
  if (compressed.length !== entry.compressedSize) throw invalidZip(`${label()} is cut short`);
  let data: Buffer;
  if (entry.method === 0) data = compressed;
  else if (entry.method === 8) {
    try {
      // One output chunk of the declared size (zlib's default is 16 KB, sliced and joined).
      data = inflateRawSync(compressed, {
        maxOutputLength: Math.max(entry.uncompressedSize, 1),
        chunkSize: Math.max(entry.uncompressedSize, 64),
      });
    } catch (error) {
      throw invalidZip(`${label()} does not inflate to its declared size (${(error as Error).message})`);
    }
  } else throw invalidZip(`${label()} uses compression method ${entry.method}, not deflate`);
  if (data.length !== entry.uncompressedSize)
    throw invalidZip(`${label()} unzips to ${data.length} bytes, not the ${entry.uncompressedSize} declared`);
  return data;
}

/** TextDecoder as the whole-zip reader decodes: a BOM dropped, bad bytes replaced. */
function decodeText(data: Buffer): string {
  return new TextDecoder().decode(data);
}

function* parseEntry(text: string): Generator<{ record: OsvRecord } | { problem: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    yield { problem: `not valid JSON: ${(error as Error).message}` };
    return;
  }
  for (const candidate of Array.isArray(parsed) ? parsed : [parsed]) {
    const problem = osvRecordProblem(candidate);
    if (problem === null) yield { record: candidate as OsvRecord };
    else yield { problem: `not an OSV record: ${problem}` };
  }
}

function invalidZip(problem: string): ValidationError {
  return new ValidationError(
    `the export ${problem}: a damaged or crafted zip; read nothing from it.`,
    [{ field: 'source', problem }],
    'ADVISORY_EXPORT_INVALID',
  );
}

/** Entry names come from the zip: no control characters into a terminal, and not a page of them. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
