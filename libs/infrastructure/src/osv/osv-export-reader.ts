import { readdirSync, readFileSync, statSync } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import * as yauzl from 'yauzl';
import { osvRecordProblem, ValidationError, type OsvRecord } from '@repoguard/domain';
import { DEFAULT_OSV_EXPORT_LIMITS, exportTooLarge, type OsvExportLimits } from './osv-export-limits';

export interface OsvExportReadResult {
  readonly records: OsvRecord[];
  /** Entries that were not OSV JSON, with the reason; reading goes on past them. */
  readonly problems: { readonly entry: string; readonly problem: string }[];
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
    const entries = unzipSync(bytes, {
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

/**
 * The same as readOsvExport, within limits, for exports from outside: a zip is read from disk one
 * entry at a time (never whole), its declared sizes held to the caps before anything is inflated
 * and each entry inflated with its declared size as zlib's output limit, so a zip bomb stops at a
 * cap with ADVISORY_EXPORT_TOO_LARGE naming it, or at a lying header with ADVISORY_EXPORT_INVALID,
 * having cost at most a cap's worth of memory. Directories and JSON files are held to the caps by size.
 */
export async function readOsvExportWithin(
  source: string,
  limits: OsvExportLimits,
  name: string = source,
): Promise<OsvExportReadResult> {
  const info = await stat(source);
  if (info.isDirectory()) return readJsonDirectory(source, limits);
  if (isZipName(name)) return readZipFile(source, name, limits);
  if (info.size > limits.maxUnzippedBytes) throw exportTooLarge(limits, 'maxUnzippedBytes', `${name} holds`);
  const result: OsvExportReadResult = { records: [], problems: [] };
  addJson(result, name, new TextDecoder().decode(await readFile(source)));
  return result;
}

async function readJsonDirectory(dir: string, limits: OsvExportLimits): Promise<OsvExportReadResult> {
  const result: OsvExportReadResult = { records: [], problems: [] };
  const files = [...walkJsonFiles(dir)];
  if (files.length > limits.maxEntries) throw exportTooLarge(limits, 'maxEntries', `${dir} holds`);
  let total = 0;
  for (const file of files) {
    const { size } = await stat(file);
    if (size > limits.maxEntryBytes) throw exportTooLarge(limits, 'maxEntryBytes', `${file} holds`);
    total += size;
    if (total > limits.maxUnzippedBytes) throw exportTooLarge(limits, 'maxUnzippedBytes', `${dir} holds`);
    addJson(result, file, await readFile(file, 'utf8'));
  }
  return result;
}

async function readZipFile(
  file: string,
  name: string,
  limits: OsvExportLimits,
): Promise<OsvExportReadResult> {
  const result: OsvExportReadResult = { records: [], problems: [] };
  // yauzl reads the central directory (zip64 too); entries are read and inflated here, checked.
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const handle = await open(file, 'r');
  try {
    if (zip.entryCount > limits.maxEntries) throw exportTooLarge(limits, 'maxEntries', 'the export holds');
    const entries: yauzl.Entry[] = [];
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.toLowerCase().endsWith('.json')) entries.push(entry);
    }
    // Entry order as the in-memory reader gives it, so both read an export alike.
    entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    let total = 0;
    for (const entry of entries) {
      const label = `${name}:${entry.fileName}`;
      const shown = `entry ${printable(entry.fileName)}`;
      const declared = entry.uncompressedSize;
      // The caps hold the sizes the zip declares; inflating then stops at the declared size.
      if (declared > limits.maxEntryBytes)
        throw exportTooLarge(limits, 'maxEntryBytes', `${shown} unzips to`);
      total += declared;
      if (total > limits.maxUnzippedBytes)
        throw exportTooLarge(limits, 'maxUnzippedBytes', 'the export unzips to');
      const bytes = await readEntry(zip, handle, entry, shown);
      addJson(result, label, new TextDecoder().decode(bytes));
    }
  } finally {
    await handle.close();
    zip.close();
  }
  return result;
}

/**
 * One entry's bytes, never more than its declared size: deflate is inflated with that as the
 * output limit, which zlib enforces chunk by chunk, so a lying header costs one chunk, not memory.
 */
async function readEntry(zip: yauzl.ZipFile, handle: FileHandle, entry: yauzl.Entry, label: string) {
  const invalid = (problem: string) =>
    new ValidationError(
      `${label} ${problem}: a damaged or crafted zip; stopped reading and imported nothing.`,
      [{ field: 'source', problem }],
      'ADVISORY_EXPORT_INVALID',
    );
  const declared = entry.uncompressedSize;
  if (entry.isEncrypted()) throw invalid('is encrypted');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw invalid(`uses compression method ${entry.compressionMethod}, not deflate`);
  // Deflate adds at most 5 bytes per 16 KiB block to incompressible data; stored adds nothing.
  if (entry.compressedSize > declared + Math.ceil(declared / 16384) * 5 + 64)
    throw invalid(`is larger compressed (${entry.compressedSize} bytes) than its declared ${declared} bytes`);
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const compressed = Buffer.alloc(entry.compressedSize);
  const { bytesRead } = await handle.read(compressed, 0, compressed.length, fileDataStart);
  if (bytesRead < compressed.length) throw invalid('is cut short');
  let bytes: Buffer = compressed;
  if (entry.compressionMethod === 8) {
    try {
      bytes = inflateRawSync(compressed, { maxOutputLength: Math.max(declared, 1) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw invalid(`unzips to more than the ${declared} bytes its header declares`);
      throw invalid(`does not inflate (${(error as Error).message})`);
    }
  }
  if (bytes.length !== declared)
    throw invalid(`unzips to ${bytes.length} bytes, not the ${declared} declared`);
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    result.problems.push({ entry, problem: `not valid JSON: ${(error as Error).message}` });
    return;
  }
  for (const candidate of Array.isArray(parsed) ? parsed : [parsed]) {
    const problem = osvRecordProblem(candidate);
    if (problem === null) result.records.push(candidate as OsvRecord);
    else result.problems.push({ entry, problem: `not an OSV record: ${problem}` });
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
