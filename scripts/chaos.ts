// npm run chaos: the chaos run on this machine's PostgreSQL with its own database, Temporal dev
// server, worker and API (see test/chaos/chaos-run.ts). Exits 1 with the list of failed checks.
//   CHAOS_SEED      replay a run (printed at the start and the end)
//   CHAOS_REPOS     repositories (20)           CHAOS_PUSHES    signed pushes (200)
//   CHAOS_SECONDS   push phase in seconds (180) CHAOS_KILLS     SIGKILLs per process (3)
//   CHAOS_TEMPORAL_OUTAGE_SECONDS  one Temporal outage at least this long (20)
//   CHAOS_SETTLE_SECONDS  time for the scans to catch up afterwards (300)
//   CHAOS_DATABASE_URL    default postgresql://postgres@127.0.0.1:5432/repoguard_chaos
//   CHAOS_KEEP_WORK_DIR=true  keep logs, repositories and Temporal's file after a passing run
import { formatChaosReport, runChaos } from '../test/chaos/chaos-run';
import { newSeed } from '../test/chaos/seeded-random';

function whole(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${name} must be a whole number >= ${min} (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<number> {
  const started = Date.now();
  const stamp = () => `[chaos +${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s]`;
  const report = await runChaos({
    seed: whole('CHAOS_SEED', newSeed(), 0),
    repos: whole('CHAOS_REPOS', 20, 1),
    pushes: whole('CHAOS_PUSHES', 200, 1),
    pushPhaseMs: whole('CHAOS_SECONDS', 180, 10) * 1000,
    killsPerProcess: whole('CHAOS_KILLS', 3, 0),
    longTemporalOutageMs: whole('CHAOS_TEMPORAL_OUTAGE_SECONDS', 20, 0) * 1000,
    settleTimeoutMs: whole('CHAOS_SETTLE_SECONDS', 300, 10) * 1000,
    databaseUrl: process.env['CHAOS_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_chaos',
    keepWorkDir: process.env['CHAOS_KEEP_WORK_DIR'] === 'true',
    log: (line) => console.log(`${stamp()} ${line}`),
  });
  console.log(`\n${formatChaosReport(report)}`);
  return report.problems.length === 0 ? 0 : 1;
}

// Exiting runs the harness's exit hook, which SIGKILLs the processes it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('the chaos run could not run:', error);
    process.exit(1);
  },
);
