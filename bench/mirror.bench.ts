// npm run bench:mirror — issue 21 point 1: mirror mode on a corpus the size of all of OSV, before
// (the baseline commit's MirrorVulnerabilityDatabase, one in-memory index of every advisory) and
// after (this tree's) in one run. For each variant, in processes of its own (bench/mirror-child.ts
// run in that variant's tree, so the memory measured is that variant's alone; compiled by tsc with
// the tree's libs first, since the worker runs built JavaScript: a TypeScript loader compiling
// the libraries in the measured process adds some 100 MB of RSS the worker does not have):
//   1. the first import of the whole corpus into an emptied mirror, then a re-import of the same
//      corpus (which must write nothing): wall time and the importing process's peak RSS;
//   2. matching: a fresh process builds MirrorVulnerabilityDatabase over PostgresAdvisoryMirror,
//      runs queryBatch on the bench's pairs once cold and BENCH_RUNS times warm, getVulnerability
//      for every id answered, and reports times, RSS and a hash of what it found. Both variants
//      must find the same; the run exits non-zero when they do not.
//
//   BENCH_CORPUS_RECORDS (default 500000)  corpus size (bench/osv-corpus.ts; cached under os.tmpdir())
//   BENCH_PAIRS (default 10000)            (ecosystem, name, version) pairs matched
//   BENCH_RUNS (default 20)                warm runs (their median is reported)
//   BENCH_BASELINE_REF (default 1f2ab18)   the before variant's commit (checked out into a git worktree)
//   BENCH_CACHE_MB                         passed as the cacheBytes option (the baseline ignores it)
//   BENCH_CHILD_HEAP_MB                    both variants' --max-old-space-size; by default none, so
//                                          Node's own limit, as apps/worker runs (a larger one lets V8
//                                          collect later and inflates the RSS measured)
//   BENCH_DATABASE_URL                     default postgresql://postgres@127.0.0.1:5432/repoguard_bench
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { isEcosystem, type OsvRecord, type PackageVersionQuery } from '@repoguard/domain';
import { createMikroOrmConfig } from '@repoguard/infrastructure';
import { prepareBenchServices } from './bench-util';
import type { ImportResult, MatchResult, MirrorChildJob } from './mirror-child';
import { baseRecords, DEFAULT_CORPUS_RECORDS, describeCorpus, osvCorpus, renamePackage } from './osv-corpus';

const RECORDS = positive('BENCH_CORPUS_RECORDS', DEFAULT_CORPUS_RECORDS);
const PAIRS = positive('BENCH_PAIRS', 10_000);
const RUNS = positive('BENCH_RUNS', 20);
const BASELINE_REF = process.env['BENCH_BASELINE_REF'] || '1f2ab18';
const CACHE_MB = process.env['BENCH_CACHE_MB'] ? positive('BENCH_CACHE_MB', 0) : null;
const CHILD_HEAP_MB = process.env['BENCH_CHILD_HEAP_MB'] ? positive('BENCH_CHILD_HEAP_MB', 0) : null;
/** Of the pairs, the share naming packages no advisory names (the rest name corpus packages). */
const ABSENT_SHARE = 0.2;

const ROOT = path.resolve(__dirname, '..');
const CHILD = 'bench/mirror-child.ts';
/** Where each tree's child and libs are compiled (git ignores it). */
const CHILD_OUT = '.bench-dist';

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
}

/** A small seeded generator: the same pairs on every run and for both variants. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A version the advisory names for the package: a listed version, else an introduced or
 * last_affected bound other than 0, else a fixed bound (a pair the advisory does not affect).
 */
type Affected = NonNullable<OsvRecord['affected']>[number];

function namedVersion(affected: Affected, pick: () => number) {
  const listed = affected.versions ?? [];
  if (listed.length > 0) return listed[Math.floor(pick() * listed.length)]!;
  const events = (affected.ranges ?? []).filter((r) => r.type !== 'GIT').flatMap((r) => r.events);
  const bound = events.map((e) => e.introduced ?? e.last_affected).find((v) => v && v !== '0');
  return bound ?? events.map((e) => e.fixed).find((v) => v) ?? null;
}

/**
 * The pairs both variants match: most name a package of the corpus (drawn uniformly from its
 * packages, every round alike, as a dependency list names packages whatever their advisory count)
 * at a version one of its advisories names; the rest name packages no advisory names.
 */
export function benchPairs(base: readonly OsvRecord[]): PackageVersionQuery[] {
  // Each real package with its affected entries and the base records (by index) they come from.
  const packages = new Map<string, { index: number; affected: Affected }[]>();
  for (const [index, record] of base.entries()) {
    for (const affected of record.affected ?? []) {
      const { ecosystem, name } = affected.package ?? {};
      if (!ecosystem || !name || !isEcosystem(ecosystem)) continue;
      const key = `${ecosystem}\u0000${name}`;
      packages.set(key, [...(packages.get(key) ?? []), { index, affected }]);
    }
  }
  const named = [...packages.values()];
  const rounds = Math.ceil(RECORDS / base.length);
  const pick = random(21);
  const pairs: PackageVersionQuery[] = [];
  const taken = new Set<string>();
  const wanted = Math.round(PAIRS * (1 - ABSENT_SHARE));
  for (let tries = 0; pairs.length < wanted && tries < wanted * 100; tries++) {
    const round = Math.floor(pick() * rounds);
    // Only the records of this round the corpus holds (the last round may be cut short).
    const entries = named[Math.floor(pick() * named.length)]!.filter(
      (e) => round * base.length + e.index < RECORDS,
    );
    const entry = entries[Math.floor(pick() * entries.length)];
    const version = entry && namedVersion(entry.affected, pick);
    if (!entry || !version) continue;
    const ecosystem = entry.affected.package!.ecosystem as PackageVersionQuery['ecosystem'];
    const name = renamePackage(ecosystem, entry.affected.package!.name!, round);
    if (taken.has(`${ecosystem}\u0000${name}`)) continue;
    taken.add(`${ecosystem}\u0000${name}`);
    pairs.push({ ecosystem, name, version });
  }
  const absent: [PackageVersionQuery['ecosystem'], (i: number) => string][] = [
    ['npm', (i) => `rg-bench-absent-${i}`],
    ['PyPI', (i) => `rg-bench-absent-${i}`],
    ['Go', (i) => `example.com/rg-bench/absent${i}`],
    ['Maven', (i) => `org.example.rgbench:absent-${i}`],
  ];
  for (let i = 0; pairs.length < PAIRS; i++) {
    const [ecosystem, name] = absent[i % absent.length]!;
    pairs.push({ ecosystem, name: name(i), version: `1.${i % 20}.0` });
  }
  return pairs;
}

interface Variant {
  readonly label: 'before' | 'after';
  readonly tree: string;
  readonly describe: string;
}

/**
 * Compiles the child and the tree's libs with the tree's own build settings (tsc, then tsc-alias
 * for the `@repoguard/*` paths), as `npm run build` compiles what the worker runs. Returns the
 * compiled child's path.
 */
function compileChild(variant: Variant): string {
  const config = path.join(variant.tree, 'tsconfig.bench-child.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      extends: './tsconfig.build.json',
      compilerOptions: { outDir: CHILD_OUT, tsBuildInfoFile: `${CHILD_OUT}/.tsbuildinfo` },
      include: ['libs', CHILD],
    }),
  );
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  const started = performance.now();
  try {
    for (const tool of ['tsc', 'tsc-alias'])
      execFileSync(bin(tool), ['-p', config], { cwd: variant.tree, stdio: 'inherit' });
  } finally {
    fs.rmSync(config, { force: true });
  }
  console.log(`    compiled the ${variant.label} child and libs in ${secs(performance.now() - started)}`);
  return path.join(variant.tree, CHILD_OUT, CHILD.replace(/\.ts$/, '.js'));
}

/** The baseline commit in a git worktree of its own, with this tree's child script copied in. */
function baselineTree(ref: string): { variant: Variant; remove: () => void } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: ROOT, stdio: 'pipe' }).toString().trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-mirror-baseline-'));
  git('worktree', 'add', '--detach', tree, commit);
  const remove = () => git('worktree', 'remove', '--force', tree);
  try {
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
    fs.copyFileSync(path.join(ROOT, CHILD), path.join(tree, CHILD));
  } catch (error) {
    remove();
    throw error;
  }
  return { variant: { label: 'before', tree, describe: `${ref} (${commit.slice(0, 10)})` }, remove };
}

const compiled = new Map<string, string>();

/** Runs the child script in `tree` on `job`; its output is shown indented, its result returned. */
async function runChild<T>(variant: Variant, job: MirrorChildJob): Promise<T> {
  let childFile = compiled.get(variant.tree);
  if (!childFile) compiled.set(variant.tree, (childFile = compileChild(variant)));
  const jobFile = path.join(os.tmpdir(), `repoguard-mirror-job-${process.pid}-${variant.label}.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  const child = spawn(
    process.execPath,
    [
      ...(CHILD_HEAP_MB === null ? [] : [`--max-old-space-size=${CHILD_HEAP_MB}`]),
      // Only so that a child can report its memory after a full collection, at the end.
      '--expose-gc',
      childFile,
      jobFile,
    ],
    { cwd: variant.tree, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let result: T | undefined;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice('BENCH_RESULT '.length)) as T;
      else console.log(`      [${variant.label}] ${line}`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  fs.rmSync(jobFile, { force: true });
  if (code !== 0 || result === undefined)
    throw new Error(`the ${variant.label} child (${job.mode}) exited ${code} without a result`);
  return result;
}

/** Every mirrored_* table, so a variant that adds one starts from empty too. */
async function emptyMirror(orm: MikroORM): Promise<void> {
  const connection = orm.em.getConnection();
  const tables = (await connection.execute(
    `select tablename from pg_tables where schemaname = current_schema() and tablename like 'mirrored\\_%'`,
  )) as { tablename: string }[];
  await connection.execute(`truncate ${tables.map((t) => `"${t.tablename}"`).join(', ')}`);
}

/** Node's heap limit without a flag, as a child started without one gets it. */
const heapLimitMb = () =>
  Math.round(
    Number(
      execFileSync(process.execPath, ['-p', 'require("v8").getHeapStatistics().heap_size_limit'], {
        env: { ...process.env, NODE_OPTIONS: '' },
      }).toString(),
    ) /
      2 ** 20,
  );

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const msText = (ms: number) => `${ms.toFixed(1)} ms`;

interface VariantResult {
  readonly first: ImportResult;
  readonly again: ImportResult;
  /** Null when the matching process failed (out of memory, say). */
  readonly match: MatchResult | null;
}

async function measureVariant(
  variant: Variant,
  orm: MikroORM,
  databaseUrl: string,
  zips: readonly string[],
  pairsFile: string,
): Promise<VariantResult> {
  console.log(`  -- ${variant.label}: ${variant.describe}, ${variant.tree}`);
  await emptyMirror(orm);
  const first = await runChild<ImportResult>(variant, { mode: 'import', databaseUrl, zips });
  console.log(
    `    first import: ${secs(first.wallMs)}, ${first.inserted} inserted, ${first.skipped} skipped; ` +
      `${first.advisoryRows} advisory rows, ${first.packageRows} package rows; peak RSS ${mb(first.peakRssBytes)}`,
  );
  const again = await runChild<ImportResult>(variant, { mode: 'import', databaseUrl, zips });
  const wroteNothing =
    again.inserted === 0 &&
    again.updated === 0 &&
    again.advisoryRows === first.advisoryRows &&
    again.packageRows === first.packageRows &&
    again.lastImportedAt === first.lastImportedAt;
  console.log(
    `    re-import: ${secs(again.wallMs)}, ${again.unchanged} unchanged, ${again.inserted} inserted, ` +
      `${again.updated} updated (${wroteNothing ? 'wrote nothing' : 'WROTE SOMETHING'}); peak RSS ${mb(again.peakRssBytes)}`,
  );
  if (!wroteNothing) throw new Error(`the ${variant.label} re-import of the unchanged corpus wrote rows`);
  let match: MatchResult | null = null;
  try {
    match = await runChild<MatchResult>(variant, {
      mode: 'match',
      databaseUrl,
      pairsFile,
      runs: RUNS,
      cacheBytes: CACHE_MB === null ? null : CACHE_MB * 2 ** 20,
    });
  } catch (error) {
    // Reported, not thrown: a variant that runs out of memory is a result, and the other still runs.
    console.log(`    match FAILED: ${(error as Error).message}`);
    return { first, again, match };
  }
  const foreign = match.loadedFrom.filter(
    (file) => !file.startsWith(fs.realpathSync(variant.tree) + path.sep),
  );
  console.log(`    MirrorVulnerabilityDatabase loaded from: ${match.loadedFrom.join(', ')}`);
  if (match.loadedFrom.length === 0 || foreign.length > 0)
    throw new Error(`the ${variant.label} child did not load its own tree's MirrorVulnerabilityDatabase`);
  console.log(
    `    match (fresh process): cold ${msText(match.coldMatchMs)} + getVulnerability ${msText(match.coldGetMs)}; ` +
      `warm median ${msText(match.warmMatchMedianMs)} + ${msText(match.warmGetMedianMs)} (${RUNS} runs); ` +
      `RSS ${mb(match.rssBeforeBytes)} before the first query, ${mb(match.rssAfterBytes)} after, ` +
      `peak ${mb(match.peakRssBytes)}, heap used ${mb(match.heapUsedBytes)}; ` +
      `${match.matchedPairs}/${match.pairs} pairs matched, ${match.distinctIds} distinct ids, ` +
      `findings ${match.findingsHash.slice(0, 16)}`,
  );
  if (match.stats) console.log(`    cache after the warm runs: ${JSON.stringify(match.stats)}`);
  return { first, again, match };
}

function table(before: VariantResult, after: VariantResult): void {
  type Row = [
    string,
    (r: VariantResult) => number | undefined,
    (n: number) => string,
    string,
    (n: number) => boolean,
  ];
  const rows: Row[] = [
    ['first import', (r) => r.first.wallMs, secs, '< 5 min', (n) => n < 300_000],
    ['re-import, unchanged', (r) => r.again.wallMs, secs, '< 30 s', (n) => n < 30_000],
    ['import peak RSS', (r) => r.first.peakRssBytes, mb, '-', () => true],
    ['re-import peak RSS', (r) => r.again.peakRssBytes, mb, '-', () => true],
    ['cold match', (r) => r.match?.coldMatchMs, msText, '-', () => true],
    ['warm match (median)', (r) => r.match?.warmMatchMedianMs, msText, '< 100 ms', (n) => n < 100],
    ['warm getVulnerability, all ids', (r) => r.match?.warmGetMedianMs, msText, '-', () => true],
    ['worker RSS after matching', (r) => r.match?.rssAfterBytes, mb, '<= 512 MB', (n) => n <= 512 * 2 ** 20],
    ['worker peak RSS', (r) => r.match?.peakRssBytes, mb, '<= 512 MB', (n) => n <= 512 * 2 ** 20],
    ['worker heap used', (r) => r.match?.heapUsedBytes, mb, '-', () => true],
    [
      'worker RSS after a full GC',
      (r) => r.match?.rssAfterGcBytes,
      mb,
      '<= 512 MB',
      (n) => n <= 512 * 2 ** 20,
    ],
    ['worker heap after a full GC', (r) => r.match?.heapUsedAfterGcBytes, mb, '-', () => true],
  ];
  const cells = rows.map(([name, get, show, target, met]) => {
    const cell = (r: VariantResult) => {
      const value = get(r);
      if (value === undefined) return 'failed';
      return show(value) + (target === '-' ? '' : met(value) ? ' (met)' : ' (missed)');
    };
    return [name, cell(before), cell(after), target];
  });
  const header = ['metric', 'before', 'after', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `    ${c.map((text, i) => text.padEnd(widths[i]!)).join(' | ')}`;
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const databaseUrl = await prepareBenchServices();
  const started = performance.now();
  const corpus = osvCorpus(RECORDS);
  console.log(
    `RepoGuard mirror benchmark on ${process.version}, ${os.cpus().length} CPUs: corpus of ${describeCorpus(corpus)}` +
      ` in ${secs(performance.now() - started)}`,
  );
  const pairs = benchPairs(baseRecords());
  const pairsFile = path.join(os.tmpdir(), `repoguard-mirror-pairs-${process.pid}.json`);
  fs.writeFileSync(pairsFile, JSON.stringify(pairs));
  console.log(
    `  ${pairs.length} pairs: ${Math.round(PAIRS * (1 - ABSENT_SHARE))} name corpus packages (drawn uniformly from its ` +
      `packages) at a version their advisory names, ${Math.round(PAIRS * ABSENT_SHARE)} name packages no ` +
      `advisory names; child heap limit ${CHILD_HEAP_MB === null ? `Node's default (${heapLimitMb()} MB here)` : `${CHILD_HEAP_MB} MB`}; cacheBytes ${CACHE_MB === null ? 'default' : `${CACHE_MB} MB`}`,
  );

  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  const baseline = baselineTree(BASELINE_REF);
  let agree = false;
  try {
    const before = await measureVariant(baseline.variant, orm, databaseUrl, corpus.zips, pairsFile);
    const after = await measureVariant(
      { label: 'after', tree: ROOT, describe: 'this tree' },
      orm,
      databaseUrl,
      corpus.zips,
      pairsFile,
    );
    const hashes = [before, after].map((r) => r.match?.findingsHash.slice(0, 16) ?? 'failed');
    agree = before.match !== null && before.match.findingsHash === after.match?.findingsHash;
    console.log(`  findings: before and after ${agree ? 'agree' : 'DISAGREE'} (${hashes.join(' vs ')})`);
    console.log(
      `  ${corpus.records.toLocaleString('en')} advisories, ${pairs.length} pairs, from this one run:`,
    );
    table(before, after);
  } finally {
    baseline.remove();
    fs.rmSync(pairsFile, { force: true });
    await orm.close(true);
  }
  if (!agree) process.exitCode = 1;
}

// Imported by tools that want the same pairs (a match child run on its own): only run when started.
if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
