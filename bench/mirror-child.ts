// One side of bench:mirror, in a process of its own so its memory is its own: imports the corpus
// into the mirror, or matches the bench's pairs with MirrorVulnerabilityDatabase. bench:mirror runs
// it with cwd = the tree being measured (this one, or a git worktree of the baseline commit, into
// which it is copied), so `@repoguard/*` resolve to that tree's code. It imports nothing by a
// relative path for that reason. Prints one line `BENCH_RESULT <json>`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { PackageVersionQuery } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  MirrorVulnerabilityDatabase,
  OsvExportImporter,
  PostgresAdvisoryMirror,
} from '@repoguard/infrastructure';

export type MirrorChildJob =
  | { readonly mode: 'import'; readonly databaseUrl: string; readonly zips: readonly string[] }
  | {
      readonly mode: 'match';
      readonly databaseUrl: string;
      readonly pairsFile: string;
      readonly runs: number;
      readonly cacheBytes: number | null;
    };

export interface ImportResult {
  readonly wallMs: number;
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly advisoryRows: number;
  readonly packageRows: number;
  readonly lastImportedAt: string | null;
  readonly peakRssBytes: number;
}

export interface MatchResult {
  /** The files the tree's MirrorVulnerabilityDatabase was loaded from: proof of which code ran. */
  readonly loadedFrom: readonly string[];
  readonly rssBeforeBytes: number;
  readonly coldMatchMs: number;
  readonly coldGetMs: number;
  readonly warmMatchMedianMs: number;
  readonly warmGetMedianMs: number;
  readonly rssAfterBytes: number;
  readonly peakRssBytes: number;
  readonly heapUsedBytes: number;
  readonly pairs: number;
  readonly matchedPairs: number;
  readonly distinctIds: number;
  readonly findingsHash: string;
  /**
   * After a full collection (the children run with --expose-gc): what the worker holds, without the
   * garbage of the runs (the records getVulnerability parsed for each warm run, say).
   */
  readonly rssAfterGcBytes?: number;
  readonly heapUsedAfterGcBytes?: number;
  /** The cache's own account after the warm runs, when the tree's database gives one. */
  readonly stats?: unknown;
}

const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * The process's memory at one point of the match, shown beside the result: where RSS goes (V8's
 * heap as used and as reserved, memory outside it, and RSS not accounted for by either: code, the
 * native libraries).
 */
function memoryAt(stage: string): void {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const m = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
  console.log(
    `memory ${stage}: RSS ${m(rss)} MB, heap ${m(heapUsed)} used of ${m(heapTotal)} reserved, ` +
      `external ${m(external)} (array buffers ${m(arrayBuffers)}), peak RSS ${m(peakRss())}`,
  );
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function importCorpus(job: Extract<MirrorChildJob, { mode: 'import' }>, orm: MikroORM) {
  const importer = new OsvExportImporter(orm.em.fork());
  const totals = { read: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0 };
  const started = performance.now();
  // One export after another, as a sync imports OSV's per-ecosystem exports.
  for (const zip of job.zips) {
    const report = await importer.importFrom(zip);
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += report[key];
  }
  const wallMs = performance.now() - started;
  const [row] = (await orm.em.getConnection().execute(
    `select (select count(*)::int from mirrored_advisories) as advisories,
            (select count(*)::int from mirrored_advisory_packages) as packages,
            (select max(imported_at)::text from mirrored_advisories) as last`,
  )) as { advisories: number; packages: number; last: string | null }[];
  const result: ImportResult = {
    wallMs,
    ...totals,
    advisoryRows: row!.advisories,
    packageRows: row!.packages,
    lastImportedAt: row!.last,
    peakRssBytes: peakRss(),
  };
  return result;
}

/** Keys in order, so the same record read by either tree hashes alike whatever its storage. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

async function match(job: Extract<MirrorChildJob, { mode: 'match' }>, orm: MikroORM) {
  const pairs = JSON.parse(readFileSync(job.pairsFile, 'utf8')) as PackageVersionQuery[];
  // A variable, not a literal: the baseline's options type has no cacheBytes, and ignores it.
  const options: ConstructorParameters<typeof MirrorVulnerabilityDatabase>[1] & { cacheBytes?: number } =
    job.cacheBytes === null ? {} : { cacheBytes: job.cacheBytes };
  const database = new MirrorVulnerabilityDatabase(new PostgresAdvisoryMirror(orm.em.fork()), options);
  const loadedFrom = Object.keys(require.cache).filter((file) =>
    file.includes('mirror-vulnerability-database'),
  );
  const rssBeforeBytes = process.memoryUsage().rss;
  memoryAt('before the first query');

  const getAll = async (ids: readonly string[]) => {
    const records = [];
    for (const id of ids) records.push(await database.getVulnerability(id));
    return records;
  };
  let started = performance.now();
  const answers = await database.queryBatch(pairs);
  const coldMatchMs = performance.now() - started;
  memoryAt('after the cold match');
  const ids = [...new Set(answers.flat().map((ref) => ref.id))].sort();
  started = performance.now();
  const records = await getAll(ids);
  const coldGetMs = performance.now() - started;
  memoryAt('after the cold getVulnerability');

  const warmMatch: number[] = [];
  const warmGet: number[] = [];
  for (let run = 0; run < job.runs; run++) {
    started = performance.now();
    await database.queryBatch(pairs);
    warmMatch.push(performance.now() - started);
    started = performance.now();
    await getAll(ids);
    warmGet.push(performance.now() - started);
  }

  memoryAt('after the warm runs');
  const hash = createHash('sha256');
  for (const [i, refs] of answers.entries())
    hash.update(
      `${i}\t${refs
        .map((ref) => `${ref.id}@${ref.modified}`)
        .sort()
        .join(',')}\n`,
    );
  for (const record of records) hash.update(`${canonical(record)}\n`);
  const result: MatchResult = {
    loadedFrom,
    rssBeforeBytes,
    coldMatchMs,
    coldGetMs,
    warmMatchMedianMs: median(warmMatch),
    warmGetMedianMs: median(warmGet),
    rssAfterBytes: process.memoryUsage().rss,
    peakRssBytes: peakRss(),
    heapUsedBytes: process.memoryUsage().heapUsed,
    pairs: pairs.length,
    matchedPairs: answers.filter((refs) => refs.length > 0).length,
    distinctIds: ids.length,
    findingsHash: hash.digest('hex'),
    stats: (database as { stats?: () => unknown }).stats?.(),
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return result;
  gc();
  return {
    ...result,
    rssAfterGcBytes: process.memoryUsage().rss,
    heapUsedAfterGcBytes: process.memoryUsage().heapUsed,
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as MirrorChildJob;
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl: job.databaseUrl, poolMax: 2 }));
  try {
    const result = job.mode === 'import' ? await importCorpus(job, orm) : await match(job, orm);
    console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
