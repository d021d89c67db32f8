import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { isOsvRecord, type OsvRecord } from '@repoguard/domain';

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

/** The same, from bytes already in memory (a downloaded export); `name` says which format. */
export function readOsvExportBytes(bytes: Uint8Array, name: string): OsvExportReadResult {
  const result: OsvExportReadResult = { records: [], problems: [] };
  if (name.toLowerCase().split('?')[0]!.endsWith('.zip')) {
    const entries = unzipSync(bytes, { filter: (entry) => entry.name.toLowerCase().endsWith('.json') });
    const decoder = new TextDecoder();
    for (const entry of Object.keys(entries).sort())
      addJson(result, `${name}:${entry}`, decoder.decode(entries[entry]));
  } else {
    addJson(result, name, new TextDecoder().decode(bytes));
  }
  return result;
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
    if (isOsvRecord(candidate)) result.records.push(candidate);
    else result.problems.push({ entry, problem: 'not an OSV record (needs id and modified)' });
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
