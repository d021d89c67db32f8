// npm run bench:observability — what metrics and tracing cost a scan: bench:scan's single-repo
// scan (2,000 dependencies, 100 findings) with the worker as production runs it, observability
// off, then on (metrics interceptors and integration metrics; OpenTelemetry traces exported over
// OTLP/HTTP to a local collector), alternating rounds so drift on the machine hits both alike.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startOtlpCollectorStandIn } from '../test/stand-ins/otlp-collector-stand-in';

const ROOT = path.resolve(__dirname, '..');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const RUNS = process.env['BENCH_RUNS'] ?? '15';

function runScanBench(mode: 'off' | 'on', collectorUrl: string): Promise<number> {
  const args = ['-r', '@swc-node/register'];
  // Tracing must be registered before http and pg load, as in the worker's main.ts.
  if (mode === 'on') args.push('-r', './apps/worker/src/tracing.ts');
  args.push('bench/scan.bench.ts');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_RUNS: RUNS,
    BENCH_SINGLE_REPO_ONLY: '1',
    BENCH_OBSERVABILITY: mode,
  };
  delete env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (mode === 'on') env['OTEL_EXPORTER_OTLP_ENDPOINT'] = collectorUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('close', (code) => {
      const p50 = /p50 (\d+) ms/.exec(out)?.[1];
      if (code !== 0 || !p50) reject(new Error(`bench:scan (${mode}) exited ${code}:\n${out}`));
      else resolve(Number(p50));
    });
  });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const spread = (values: number[]) => `${Math.min(...values)}–${Math.max(...values)}`;

async function main(): Promise<void> {
  const collector = await startOtlpCollectorStandIn();
  try {
    console.log(
      `RepoGuard observability overhead on ${process.version}: ${ROUNDS} rounds of off/on, ${RUNS} scans each`,
    );
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      off.push(await runScanBench('off', collector.url));
      on.push(await runScanBench('on', collector.url));
      console.log(`  round ${round + 1}: scan p50 off ${off.at(-1)} ms, on ${on.at(-1)} ms`);
    }
    const spans = collector.spans().length;
    const overhead = ((mean(on) - mean(off)) / mean(off)) * 100;
    console.log(
      `  mean of the rounds' scan p50s: off ${mean(off).toFixed(0)} ms (${spread(off)}), ` +
        `on ${mean(on).toFixed(0)} ms (${spread(on)}): overhead ${overhead.toFixed(1)} % (target < 5 %); ` +
        `${spans} spans received by the collector`,
    );
  } finally {
    await collector.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
