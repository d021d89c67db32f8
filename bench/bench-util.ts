import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { OsvRecord } from '@repoguard/domain';
import { prepareDatabase } from '@repoguard/infrastructure';

export interface Timing {
  readonly name: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly minMs: number;
}

/** Runs `fn` a few times to warm up, then `runs` times, and reports the median. */
export function measure(name: string, fn: () => unknown, runs = 25, warmup = 3): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { name, runs, medianMs: at(0.5), p90Ms: at(0.9), minMs: samples[0] ?? NaN };
}

export function report(timings: readonly Timing[], targets: Record<string, number> = {}): void {
  const width = Math.max(...timings.map((t) => t.name.length));
  for (const t of timings) {
    const target = targets[t.name];
    const verdict =
      target === undefined
        ? ''
        : t.medianMs < target
          ? `  (target < ${target} ms: met)`
          : `  (target < ${target} ms: MISSED)`;
    console.log(
      `${t.name.padEnd(width)}  median ${t.medianMs.toFixed(2).padStart(8)} ms  p90 ${t.p90Ms.toFixed(2).padStart(8)} ms  ` +
        `min ${t.minMs.toFixed(2).padStart(8)} ms  (${t.runs} runs)${verdict}`,
    );
  }
}

/** The sample at quantile `q` (0..1): the one `q` of the way up the sorted samples. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** The middle sample (the upper one of two), as the benchmarks report it. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

/**
 * For benchmarks on the real services: the Temporal SDK's logs at WARN, and a migrated database
 * (BENCH_DATABASE_URL, default repoguard_bench) that becomes this process's DATABASE_URL.
 */
export async function prepareBenchServices(): Promise<string> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const databaseUrl =
    process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_bench';
  await prepareDatabase(databaseUrl);
  process.env['DATABASE_URL'] = databaseUrl;
  return databaseUrl;
}

/** A benchmark's setting from the environment: a whole number above 0, `fallback` when unset. */
export function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
}

/** An advisory on one package, every version before 9.0.0 affected (benchmarks' packages are at 1.0.0). */
export function advisoryOn(id: string, ecosystem: string, name: string, modified: string): OsvRecord {
  return {
    id,
    modified,
    affected: [
      {
        package: { ecosystem, name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.0.0' }] }],
      },
    ],
  };
}
