// npm run bench:scan — end-to-end scan time on the real Temporal server and PostgreSQL, against
// the local GitHub and OSV stand-ins: one repo with 2,000 dependencies and 100 findings, then 50
// repos requested at once.
import { AdvisoryIndex, parseManifest, type OsvRecord } from '@repoguard/domain';
import { buildSyntheticPackageLock } from '../test/fixtures/generators/package-lock.generator';
import { median } from './bench-util';
import { withScanHarness } from './scan-bench-harness';

const QUIET_WINDOW_MS = 1;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 10);
// bench:observability runs this twice: the worker as production runs it, metrics and tracing off / on.
const OBSERVABILITY = process.env['BENCH_OBSERVABILITY'] as 'off' | 'on' | undefined;
const SINGLE_REPO_ONLY = process.env['BENCH_SINGLE_REPO_ONLY'] === '1';

/** 100 advisories, each affecting one of the lock file's packages at its locked version. */
function advisoriesFor(lock: string): OsvRecord[] {
  const dependencies = parseManifest('package-lock.json', lock).dependencies;
  return dependencies.slice(0, 100).map((d, i) => ({
    id: `BENCH-${String(i).padStart(4, '0')}`,
    modified: '2026-01-01T00:00:00Z',
    summary: `benchmark advisory ${i}`,
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
    affected: [
      {
        package: { ecosystem: 'npm', name: d.name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '999.0.0' }] }],
      },
    ],
  }));
}

async function main(): Promise<void> {
  const lock = buildSyntheticPackageLock(2_000);
  const advisories = advisoriesFor(lock);
  const expectedFindings = new AdvisoryIndex(advisories).size;
  const options = {
    name: 'bench-scan',
    advisories,
    quietWindowMs: QUIET_WINDOW_MS,
    maxWaitMs: 1_000,
    ...(OBSERVABILITY ? { observability: OBSERVABILITY } : {}),
  };
  await withScanHarness(options, async (harness) => {
    console.log(
      `RepoGuard scan benchmark on ${process.version}: Temporal dev server, PostgreSQL, local GitHub/OSV stand-ins`,
    );
    const repo = await harness.github.createRepo('bench', 'big');
    const target = await harness.connectRepo('bench', 'big');
    const timings: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      // A new commit each run (a comment line in a requirements file) so nothing is reused but blobs.
      await repo.commit({ 'package-lock.json': lock, 'requirements.txt': `# run ${run}\n` }, `run ${run}`);
      const started = performance.now();
      await harness.request(target);
      const result = await harness.waitForScan(target);
      const elapsed = performance.now() - started - QUIET_WINDOW_MS;
      if (result.phase !== 'COMPLETED')
        throw new Error(`scan ${run} ended ${result.phase}: ${result.errorCode}`);
      if (run > 0) timings.push(elapsed); // the first run warms the worker's workflow cache
    }
    const findings = (await harness.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from findings where repo_id = ? and status = 'open'`, [
        target.repoId,
      ])) as { n: number }[];
    console.log(
      `  one repo, 2,000 dependencies, ${findings[0]?.n} findings (expected ${expectedFindings}): ` +
        `p50 ${median(timings).toFixed(0)} ms, min ${Math.min(...timings).toFixed(0)} ms, max ${Math.max(...timings).toFixed(0)} ms ` +
        `over ${timings.length} scans, debounce window excluded (target p50 < 3000 ms)`,
    );

    if (SINGLE_REPO_ONLY) return;
    const targets = [];
    for (let i = 0; i < 50; i++) {
      const r = await harness.github.createRepo('bench', `many-${i}`);
      await r.commit({ 'package-lock.json': lock });
      targets.push(await harness.connectRepo('bench', `many-${i}`));
    }
    const started = performance.now();
    await Promise.all(targets.map((t) => harness.request(t)));
    const results = await Promise.all(targets.map((t) => harness.waitForScan(t)));
    const total = performance.now() - started;
    const completed = results.filter((r) => r.phase === 'COMPLETED').length;
    console.log(`  50 repos requested at once: ${completed}/50 COMPLETED in ${(total / 1000).toFixed(1)} s`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
