import * as path from 'node:path';
import { readOsvExport, readOsvExportBytes, type OsvExportReadResult } from './osv-export-reader';

/**
 * Reads an OSV export from where an operator points: a path (relative to `cwd`) or an http(s) URL
 * such as OSV's bucket, `https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip`.
 * Throws with a message that names what failed (missing file, HTTP status, unreadable zip).
 */
export async function readOsvExportFrom(
  source: string,
  cwd: string = process.cwd(),
  timeoutMs = 300_000,
): Promise<OsvExportReadResult> {
  if (!/^https?:\/\//i.test(source)) return readOsvExport(path.resolve(cwd, source));
  let response: Response;
  try {
    response = await fetch(source, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(`download failed: ${cause ?? (error as Error).message}`);
  }
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status}`);
  return readOsvExportBytes(new Uint8Array(await response.arrayBuffer()), new URL(source).pathname);
}
