// A corpus the size of all of OSV for bench:mirror, made from the real records in ../shared/osv:
// copied round after round with the ids, aliases and package names renamed per round, so every
// record keeps a real shape (ranges, versions, severity) and no two rounds share a package.
// Written once as several zips like OSV's <Ecosystem>/all.zip (the export caps allow 1,000,000
// entries and 1 GiB unzipped per export), into a cache under os.tmpdir() keyed by the record count
// and this file's hash, and reused while both are the same.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import type { OsvRecord } from '@repoguard/domain';
import { readOsvExport } from '@repoguard/infrastructure';
import { sharedOsvExport, SHARED_OSV_DIR } from '../test/support/shared-osv';

export const DEFAULT_CORPUS_RECORDS = 500_000;
const RECORDS_PER_ZIP = 50_000;
const SOURCES = ['Go-ghsa.zip', 'Maven-ghsa.zip', 'PyPI-all.zip', 'PyPI-ghsa.zip', 'npm-ghsa.zip'];

export interface OsvCorpus {
  readonly dir: string;
  readonly zips: readonly string[];
  readonly records: number;
  readonly unzippedBytes: number;
  readonly zippedBytes: number;
  /** Whether this call wrote it (false: found in the cache). */
  readonly generated: boolean;
}

/** The real records, once each (an id in two exports keeps its newer copy), in id order. */
export function baseRecords(): OsvRecord[] {
  const byId = new Map<string, OsvRecord>();
  for (const file of SOURCES) {
    for (const record of readOsvExport(sharedOsvExport(file)).records) {
      const held = byId.get(record.id);
      if (!held || held.modified < record.modified) byId.set(record.id, record);
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A package's name in round `round`, still a valid name in its ecosystem: Maven renames the
 * artifact of `group:artifact`, Go adds a path segment to the module path, the rest add a suffix.
 */
export function renamePackage(ecosystem: string, name: string, round: number): string {
  if (ecosystem === 'Go') return `${name}/rg${round}`;
  return `${name}-rg${round}`;
}

const renameId = (id: string, round: number) => `${id}-rg${round}`;

/** Record `index` of the corpus: base record index % base.length, in round index / base.length. */
export function corpusRecord(base: readonly OsvRecord[], index: number): OsvRecord {
  const source = base[index % base.length]!;
  const round = Math.floor(index / base.length);
  return {
    ...source,
    id: renameId(source.id, round),
    // Renamed in the same round only: alias groups stay within a round, as in the real data.
    ...(source.aliases ? { aliases: source.aliases.map((alias) => renameId(alias, round)) } : {}),
    ...(source.affected
      ? {
          affected: source.affected.map((affected) =>
            affected.package?.name && affected.package.ecosystem
              ? {
                  ...affected,
                  package: {
                    ...affected.package,
                    name: renamePackage(affected.package.ecosystem, affected.package.name, round),
                  },
                }
              : affected,
          ),
        }
      : {}),
  };
}

/** The corpus of `records` records, from the cache when it is there. */
export function osvCorpus(records: number): OsvCorpus {
  const key = createHash('sha256')
    .update(fs.readFileSync(__filename))
    .update(SOURCES.map((file) => `${file}:${fs.statSync(path.join(SHARED_OSV_DIR, file)).size}`).join(','))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(os.tmpdir(), `repoguard-osv-corpus-${records}-${key}`);
  const manifest = path.join(dir, 'corpus.json');
  if (fs.existsSync(manifest)) {
    return {
      ...(JSON.parse(fs.readFileSync(manifest, 'utf8')) as Omit<OsvCorpus, 'generated'>),
      generated: false,
    };
  }
  // Written beside the cache and renamed into place: an interrupted run leaves no half corpus.
  const partial = fs.mkdtempSync(`${dir}.partial-`);
  const base = baseRecords();
  const encoder = new TextEncoder();
  const zips: string[] = [];
  let unzippedBytes = 0;
  let zippedBytes = 0;
  for (let start = 0; start < records; start += RECORDS_PER_ZIP) {
    const entries: Record<string, Uint8Array> = {};
    for (let index = start; index < Math.min(records, start + RECORDS_PER_ZIP); index++) {
      const record = corpusRecord(base, index);
      const bytes = encoder.encode(JSON.stringify(record));
      unzippedBytes += bytes.length;
      entries[`${record.id}.json`] = bytes;
    }
    const zip = zipSync(entries, { level: 6 });
    const name = `corpus-${String(zips.length).padStart(2, '0')}.zip`;
    fs.writeFileSync(path.join(partial, name), zip);
    zippedBytes += zip.length;
    zips.push(path.join(dir, name));
  }
  const corpus = { dir, zips, records, unzippedBytes, zippedBytes };
  fs.writeFileSync(path.join(partial, 'corpus.json'), JSON.stringify(corpus));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  return { ...corpus, generated: true };
}

export function describeCorpus(corpus: OsvCorpus): string {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  return (
    `${corpus.records.toLocaleString('en')} records in ${corpus.zips.length} zips, ` +
    `${mb(corpus.unzippedBytes)} unzipped, ${mb(corpus.zippedBytes)} zipped ` +
    `(${corpus.generated ? 'generated now' : 'from the cache'}: ${corpus.dir})`
  );
}
