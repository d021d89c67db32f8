import { parse } from 'smol-toml';
import { readTomlLock, type TomlLock } from './toml-lock-reader';

const PACKAGE_HEADER = /^\s*\[\[\s*package\s*\]\]\s*(?:#.*)?$/;

/**
 * A TOML lock file's table and `[[package]]` header lines: the one-pass reader when the file keeps
 * to what lock writers emit, else smol-toml, which throws its TomlError on invalid TOML.
 * `normalized` has gone through normalizeText.
 */
export function parseTomlLock(normalized: string, options: { maxDepth?: number } = {}): TomlLock {
  const read = readTomlLock(normalized);
  if (read) return read;
  const table = parse(normalized, options);
  return { table, packageLines: packageHeaderLines(normalized) };
}

/** 1-based lines that hold only a `[[package]]` header (and maybe a comment). */
function packageHeaderLines(normalized: string): number[] {
  const lines: number[] = [];
  normalized.split('\n').forEach((line, index) => {
    if (PACKAGE_HEADER.test(line)) lines.push(index + 1);
  });
  return lines;
}
