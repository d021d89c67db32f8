import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * An OSV advisory on a PyPI package, every version before `fixed` (default 2.0) affected, rated by
 * a GHSA label (null: none, so UNKNOWN).
 */
export function pypiAdvisory(
  id: string,
  name: string,
  severity: string | null,
  aliases: readonly string[] = [],
  { fixed = '2.0' }: { readonly fixed?: string } = {},
) {
  return {
    id,
    aliases: [...aliases],
    modified: '2026-01-01T00:00:00Z',
    summary: `${name} is vulnerable`,
    affected: [
      {
        package: { ecosystem: 'PyPI', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
    ...(severity === null ? {} : { database_specific: { severity } }),
  };
}

/** A directory of OSV JSON files, as `--advisories` reads one; returns its path. */
export function writeOsvDirectory(dir: string, records: readonly { id: string }[]): string {
  mkdirSync(dir, { recursive: true });
  for (const record of records) writeFileSync(path.join(dir, `${record.id}.json`), JSON.stringify(record));
  return dir;
}
