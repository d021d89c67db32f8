// The warm path of this tree's MirrorVulnerabilityDatabase alone, on a mirror bench:mirror left
// imported (no import, no baseline): queryBatch of bench:mirror's pairs once cold, then
// BENCH_RUNS times warm, each followed by getVulnerability of every id answered (kept until the
// next run, as bench/mirror-child.ts keeps them); medians of wall and CPU time, the time of
// queryBatch's steps (checked, answer, holdRecordsOf) and memory after full collections.
//
//   BENCH_CORPUS_RECORDS, BENCH_PAIRS   as for bench:mirror (they choose the pairs)
//   BENCH_DATABASE_URL                  the imported mirror (default .../repoguard_bench)
//   BENCH_RUNS (default 10)             warm runs
//   BENCH_CPU_PROFILE                   a file for a CPU profile of the warm runs only
//
//   BENCH_CORPUS_RECORDS=50000 BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/repoguard_bench_slim \
//     node --expose-gc -r @swc-node/register bench/mirror-warm-path.ts
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  createMikroOrmConfig,
  MirrorVulnerabilityDatabase,
  PostgresAdvisoryMirror,
} from '@repoguard/infrastructure';
import { median, positiveEnv } from './bench-util';
import { benchPairs } from './mirror.bench';
import { baseRecords } from './osv-corpus';

const RUNS = positiveEnv('BENCH_RUNS', 10);
const DATABASE_URL =
  process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_bench';
const PROFILE = process.env['BENCH_CPU_PROFILE'];
const STEPS = ['checked', 'answer', 'holdRecordsOf'] as const;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function memory(label: string): void {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  console.log(`  ${label}: heap ${mb(heapUsed)}, RSS ${mb(rss)}`);
}

/** Times the private steps of queryBatch by wrapping them on the prototype: a diagnostic, nothing more. */
function timeSteps(): Map<string, number[]> {
  const times = new Map<string, number[]>();
  const prototype = MirrorVulnerabilityDatabase.prototype as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  for (const step of STEPS) {
    const original = prototype[step]!;
    times.set(step, []);
    prototype[step] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        times.get(step)!.push(performance.now() - started);
      }
    };
  }
  return times;
}

async function main(): Promise<void> {
  const pairs = benchPairs(baseRecords());
  const steps = timeSteps();
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl: DATABASE_URL, poolMax: 2 }));
  try {
    const database = new MirrorVulnerabilityDatabase(new PostgresAdvisoryMirror(orm.em.fork()));
    memory('before the first query');
    let started = performance.now();
    const answers = await database.queryBatch(pairs);
    console.log(`  cold match ${(performance.now() - started).toFixed(0)} ms`);
    const ids = [...new Set(answers.flat().map((ref) => ref.id))];
    const getAll = async () => {
      const records = [];
      for (const id of ids) records.push(await database.getVulnerability(id));
      return records;
    };
    started = performance.now();
    let kept = await getAll();
    console.log(`  cold getVulnerability ${(performance.now() - started).toFixed(0)} ms, ${ids.length} ids`);
    memory('after the cold runs');
    for (const times of steps.values()) times.length = 0;

    const session = new Session();
    if (PROFILE) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const runs = {
      match: [] as number[],
      matchCpu: [] as number[],
      get: [] as number[],
      getCpu: [] as number[],
    };
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      let cpu = cpuMs();
      await database.queryBatch(pairs);
      runs.match.push(performance.now() - started);
      runs.matchCpu.push(cpuMs() - cpu);
      started = performance.now();
      cpu = cpuMs();
      kept = await getAll();
      runs.get.push(performance.now() - started);
      runs.getCpu.push(cpuMs() - cpu);
    }
    if (PROFILE) writeFileSync(PROFILE, JSON.stringify((await session.post('Profiler.stop')).profile));
    session.disconnect();

    const line = (values: number[]) =>
      `median ${median(values).toFixed(1)} ms (${values.map((v) => v.toFixed(0)).join(' ')})`;
    console.log(`  warm match, wall: ${line(runs.match)}`);
    console.log(`  warm match, CPU: ${line(runs.matchCpu)}`);
    console.log(`  warm getVulnerability, wall: ${line(runs.get)}`);
    console.log(`  warm getVulnerability, CPU: ${line(runs.getCpu)}`);
    for (const [step, times] of steps) console.log(`    ${step}: ${line(times)}`);
    console.log(`  RSS after the warm runs ${mb(process.memoryUsage().rss)}; ${kept.length} records kept`);
    memory('after the warm runs');
    console.log(`  cache: ${JSON.stringify(database.stats())}`);
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
