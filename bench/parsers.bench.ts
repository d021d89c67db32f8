// npm run bench:parsers — worst-case parse time per MB of every manifest parser on this machine.
// Each case runs in a worker thread so a parser that stalls is cut off (and reported) instead of
// stalling the benchmark. PARSER_BENCH_SIZES (MB, comma-separated) and PARSER_BENCH_ONLY (parser
// ids) narrow a run; the exit code is 1 when a case exceeds the budget.
// Wall time and CPU time are both reported: on a machine shared with other work, wall time counts
// the time a parse waited for a core. The budget is judged on CPU time when the load average is at
// least the number of cores (PARSER_BENCH_JUDGE=wall|cpu forces one).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { MANIFEST_PARSERS, parseManifest } from '@repoguard/domain';
import { median } from './bench-util';
import { WORST_CASES } from './parser-worst-cases';

const MB = 1024 * 1024;
/** The issue's budget: every parser stays under this on every generated worst case. */
const BUDGET_MS_PER_MB = 100;
/** A case whose next size cannot finish in this time is cut off and counted as over budget. */
const CASE_TIMEOUT_MS = 30_000;

interface CaseJob {
  readonly index: number;
  readonly sizesMb: readonly number[];
}

interface SizeResult {
  readonly sizeMb: number;
  readonly bytes: number;
  readonly medianMs: number;
  /** Median CPU time of the process: the parsing thread and V8's GC threads working for it. */
  readonly medianCpuMs: number;
  /** Median CPU time of the parsing thread alone, where the OS tells (Linux). */
  readonly medianThreadCpuMs: number | undefined;
  readonly dependencies: number;
  readonly diagnostics: number;
}

/**
 * CPU time of the calling thread in ms, from Linux's scheduler statistics (nanoseconds), or
 * undefined elsewhere. Shown for information: process.cpuUsage() (Node 20 has no per-thread
 * figure) also counts V8's parallel GC threads, up to as much again on an allocation-heavy parse.
 */
function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * Timed runs per size: 3 from 2 MB; below that enough to parse 2 MB in all, at least 5, so one GC
 * pause does not decide the median of a small size.
 */
function runsFor(sizeMb: number): number {
  return sizeMb >= 2 ? 3 : Math.max(5, Math.ceil(2 / sizeMb));
}

function runCase({ index, sizesMb }: CaseJob): void {
  const worstCase = WORST_CASES[index]!;
  for (const sizeMb of sizesMb) {
    // Through bytes, as a scan reads a file: a generated string is a rope of concatenations, which
    // V8 may re-flatten on every search and so time the string rather than the parser.
    const text = Buffer.from(worstCase.build(Math.round(sizeMb * MB)), 'utf8').toString('utf8');
    const runs = runsFor(sizeMb);
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    const threadCpuSamples: number[] = [];
    let result = parseManifest(worstCase.path, text);
    for (let i = 0; i < runs; i++) {
      const threadStarted = threadCpuMs();
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      result = parseManifest(worstCase.path, text);
      samples.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuStarted);
      const threadEnded = threadCpuMs();
      cpuSamples.push((cpu.user + cpu.system) / 1000);
      if (threadStarted !== undefined && threadEnded !== undefined)
        threadCpuSamples.push(threadEnded - threadStarted);
    }
    const message: SizeResult = {
      sizeMb,
      bytes: text.length,
      medianMs: median(samples),
      medianCpuMs: median(cpuSamples),
      medianThreadCpuMs: threadCpuSamples.length > 0 ? median(threadCpuSamples) : undefined,
      dependencies: result.dependencies.length,
      diagnostics: result.diagnostics.length,
    };
    parentPort!.postMessage(message);
  }
}

/** Runs one case's sizes in a worker; sizes it could not finish in time come back as undefined. */
function measureCase(index: number, sizesMb: readonly number[]): Promise<(SizeResult | undefined)[]> {
  return new Promise((resolve) => {
    const results: SizeResult[] = [];
    const worker = new Worker(__filename, { workerData: { index, sizesMb } satisfies CaseJob });
    let timer: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(timer);
      resolve(sizesMb.map((_, i) => results[i]));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void worker.terminate().then(finish), CASE_TIMEOUT_MS);
    };
    worker.on('message', (result: SizeResult) => {
      results.push(result);
      arm();
    });
    worker.on('error', (error) => {
      console.error(`  ${WORST_CASES[index]!.parser} / ${WORST_CASES[index]!.name}: ${error.message}`);
    });
    worker.on('exit', finish);
    arm();
  });
}

type Judge = 'wall' | 'cpu';

/** CPU time when the machine is loaded (load average at least the core count), else wall time. */
function judgeFor(forced: Judge | undefined): { judge: Judge; load: number } {
  const load = loadavg()[0] ?? 0;
  return { judge: forced ?? (load >= availableParallelism() ? 'cpu' : 'wall'), load };
}

const perMbText = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));

async function main(): Promise<void> {
  const sizesMb = (process.env['PARSER_BENCH_SIZES'] ?? '0.25,1,4').split(',').map(Number);
  const only = process.env['PARSER_BENCH_ONLY']?.split(',').filter((id) => id !== '');
  const forcedJudge = process.env['PARSER_BENCH_JUDGE'];
  if (forcedJudge !== undefined && forcedJudge !== 'wall' && forcedJudge !== 'cpu') {
    throw new Error(`PARSER_BENCH_JUDGE must be wall or cpu, not ${forcedJudge}`);
  }
  const selected = (id: string) => !only || only.length === 0 || only.includes(id);
  const parsers = MANIFEST_PARSERS.map((p) => p.id).filter(selected);
  const missing = parsers.filter((id) => !WORST_CASES.some((c) => c.parser === id));

  console.log(
    `RepoGuard parser worst cases on ${process.version}, ${process.arch}, ${availableParallelism()} cores`,
  );
  console.log(
    `  sizes ${sizesMb.join(', ')} MB; budget ${BUDGET_MS_PER_MB} ms per MB; median of ${sizesMb.map(runsFor).join(', ')} runs\n` +
      "  each size as wall / CPU (parsing thread alone) ms per MB; CPU is the process's: the parse and\n" +
      "  V8's GC threads. A case is judged on CPU time when the load average at its start or end is at\n" +
      `  least the core count, else on wall time${forcedJudge ? ` (forced: ${forcedJudge})` : ''}\n`,
  );
  const header = [
    'parser',
    'case',
    ...sizesMb.map((s) => `${s} MB wall / cpu (thread)`),
    'worst ms/MB',
    'judged on',
    '',
  ];
  const rows: string[][] = [];
  const worstByParser = new Map<string, number>();
  let failed = missing.length > 0;

  for (const [index, worstCase] of WORST_CASES.entries()) {
    if (!parsers.includes(worstCase.parser)) continue;
    const before = judgeFor(forcedJudge);
    const results = await measureCase(index, sizesMb);
    const after = judgeFor(forcedJudge);
    const judge = before.judge === 'cpu' || after.judge === 'cpu' ? 'cpu' : 'wall';
    const load = Math.max(before.load, after.load);
    const perMb = results.map((r) =>
      r
        ? {
            wall: r.medianMs / (r.bytes / MB),
            cpu: r.medianCpuMs / (r.bytes / MB),
            thread: r.medianThreadCpuMs === undefined ? undefined : r.medianThreadCpuMs / (r.bytes / MB),
          }
        : undefined,
    );
    const worst = Math.max(...perMb.map((p) => (p ? p[judge] : Infinity)));
    const over = worst > BUDGET_MS_PER_MB;
    failed ||= over;
    worstByParser.set(worstCase.parser, Math.max(worstByParser.get(worstCase.parser) ?? 0, worst));
    const row = [
      worstCase.parser,
      worstCase.name,
      ...perMb.map((p) =>
        p
          ? `${perMbText(p.wall)} / ${perMbText(p.cpu)} (${perMbText(p.thread)})`
          : `> ${CASE_TIMEOUT_MS / 1000} s`,
      ),
      Number.isFinite(worst) ? worst.toFixed(1) : 'timeout',
      `${judge} (load ${load.toFixed(1)})`,
      over ? 'OVER BUDGET' : '',
    ];
    rows.push(row);
    console.log(row.join('  |  '));
  }

  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));

  console.log('\nWorst case per parser (ms per MB, on the figure each case was judged on):');
  for (const id of parsers) {
    const worst = worstByParser.get(id);
    const verdict =
      worst === undefined
        ? 'NO WORST CASES (add them to bench/parser-worst-cases.ts)'
        : worst > BUDGET_MS_PER_MB
          ? 'OVER BUDGET'
          : 'ok';
    console.log(
      `  ${id.padEnd(20)} ${worst === undefined ? '-' : Number.isFinite(worst) ? worst.toFixed(1) : 'timeout'}  ${verdict}`,
    );
  }
  if (failed) process.exitCode = 1;
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  runCase(workerData as CaseJob);
}
