import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { type KnownFinding, KnownFindings } from '@repoguard/domain';
import { UsageError } from '../command-io';

/** What `--format json` writes as `format_version`; a baseline of a later one is refused. */
export const CHECK_JSON_FORMAT_VERSION = 1;

/** Far above the JSON of a monorepo's check (a few MB), far below what would strain the process. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/**
 * `--baseline <file>`: the findings of an earlier `repoguard check --format json`, those it
 * reported and those it already knew. Anything else (not a file, too large, not JSON, another
 * shape) is a usage error naming the first problem, never a crash.
 */
export function loadBaseline(file: string, cwd: string): KnownFindings {
  const text = readCapped(file, path.resolve(cwd, file));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text, which may be any file the path leads to.
    throw new UsageError(`--baseline ${file} is not JSON: give the output of repoguard check --format json`);
  }
  try {
    return new KnownFindings(findingsOf(json));
  } catch (error) {
    if (error instanceof ShapeError)
      throw new UsageError(
        `--baseline ${file} is not the output of repoguard check --format json: ${error.message}`,
      );
    throw error;
  }
}

function readCapped(file: string, full: string): string {
  let fd: number;
  try {
    fd = openSync(full, 'r');
  } catch {
    throw new UsageError(`--baseline ${file}: no such file`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`--baseline ${file}: not a file`);
    if (stat.size > MAX_BASELINE_BYTES)
      throw new UsageError(`--baseline ${file} is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB`);
    // Read to the cap and no further, should the file grow after the size was taken.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_BASELINE_BYTES) + 1);
    let length = 0;
    for (
      let n;
      length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;
    )
      length += n;
    if (length > MAX_BASELINE_BYTES)
      throw new UsageError(`--baseline ${file} is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MiB`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

class ShapeError extends Error {}

/** The reported findings (results[].findings) and the known ones (baseline.findings). */
function* findingsOf(json: unknown): Generator<KnownFinding> {
  const document = object(json, 'the document');
  const version = document['format_version'];
  // Outputs from before format_version have the same results shape: read as version 1.
  if (version !== undefined && version !== CHECK_JSON_FORMAT_VERSION) {
    throw new ShapeError(
      `format_version ${JSON.stringify(version)} is not ${CHECK_JSON_FORMAT_VERSION} (written by another repoguard version)`,
    );
  }
  const results = array(document['results'], 'results');
  for (const [i, item] of results.entries()) {
    const result = object(item, `results[${i}]`);
    const manifestPath = string(result['manifest_path'], `results[${i}].manifest_path`);
    for (const [j, finding] of array(result['findings'], `results[${i}].findings`).entries()) {
      yield knownFinding(finding, `results[${i}].findings[${j}]`, manifestPath);
    }
  }
  if (document['baseline'] === undefined || document['baseline'] === null) return;
  const baseline = object(document['baseline'], 'baseline');
  for (const [i, finding] of array(baseline['findings'], 'baseline.findings').entries()) {
    yield knownFinding(finding, `baseline.findings[${i}]`);
  }
}

function knownFinding(value: unknown, at: string, manifestPath?: string): KnownFinding {
  const finding = object(value, at);
  const aliases = array(finding['aliases'], `${at}.aliases`);
  return {
    manifestPath: manifestPath ?? string(finding['manifest_path'], `${at}.manifest_path`),
    ecosystem: string(finding['ecosystem'], `${at}.ecosystem`),
    name: string(finding['name'], `${at}.name`),
    vulnerabilityId: string(finding['vulnerability_id'], `${at}.vulnerability_id`),
    aliases: aliases.map((alias, k) => string(alias, `${at}.aliases[${k}]`)),
  };
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeError(`${at} must be an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${at} must be an array`);
  return value;
}

function string(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') throw new ShapeError(`${at} must be a non-empty string`);
  return value;
}
