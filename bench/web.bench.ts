// npm run bench:web — the dashboard's weight and the overview's load time (issue 22 point 5): the
// production build of apps/web (each file raw and gzipped), then Debian's Chromium loading the
// overview from the API process on loopback until its numbers show, BENCH_WEB_LOADS times in a fresh
// browser context each (nothing cached) and as many reloads in one context (bundle cached).
//   BENCH_WEB_REPOS=50     connected repositories in the org (findings and 90 days of history each)
//   BENCH_WEB_LOADS=15     loads of each kind
//   BENCH_WEB_SCREENSHOT  a path: the overview at a laptop's width (1366 px) saved there, as README shows it
//   BENCH_DATABASE_URL     default postgresql://postgres@127.0.0.1:5432/repoguard_bench_web
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MikroORM } from '@mikro-orm/postgresql';
import { CreateOrganization } from '@repoguard/application';
import type { DesiredFinding, Severity } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  MikroOrmFindingRepository,
  MikroOrmOpenFindingHistory,
  MikroOrmUnitOfWork,
  OpaqueTokenIssuer,
  prepareDatabase,
  RepositoryEntity,
} from '@repoguard/infrastructure';
import { chromium } from 'playwright-core';
import { startApiProcess, testApiEnv } from '../test/support/api-process';
import { buildDashboard, CHROMIUM } from '../test/support/web-dashboard';
import { median, positiveEnv, quantile } from './bench-util';

const REPOS = positiveEnv('BENCH_WEB_REPOS', 50);
const LOADS = positiveEnv('BENCH_WEB_LOADS', 15);
const DATABASE_URL =
  process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_bench_web';
const SEVERITY_CYCLE: Severity[] = [
  'CRITICAL',
  'HIGH',
  'HIGH',
  'MEDIUM',
  'MEDIUM',
  'MEDIUM',
  'LOW',
  'UNKNOWN',
];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Every file of the build, raw and gzipped (as a server with compression would send it). */
function bundleSizes(dir: string): void {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(dir);
  const totals = { raw: 0, gzip: 0 };
  console.log('bundle (vite build, production):');
  for (const file of files.sort()) {
    const bytes = fs.readFileSync(file);
    const gzip = gzipSync(bytes).length;
    totals.raw += bytes.length;
    totals.gzip += gzip;
    console.log(
      `  ${path.relative(dir, file).padEnd(40)} ${kb(bytes.length).padStart(10)} ${kb(gzip).padStart(10)} gzip`,
    );
  }
  console.log(
    `  ${'all files'.padEnd(40)} ${kb(totals.raw).padStart(10)} ${kb(totals.gzip).padStart(10)} gzip`,
  );
}

/** An org of REPOS repositories, each with a few open findings and a count for each of 90 days. */
async function seed(orm: MikroORM): Promise<{ orgId: string; token: string }> {
  const em = orm.em.fork();
  const created = await new CreateOrganization(new MikroOrmUnitOfWork(em), new OpaqueTokenIssuer()).execute({
    actor: { actorType: 'system', actorId: 'bench', correlationId: null, ip: null },
    name: 'Bench Web',
    slug: `bench-web-${randomUUID().slice(0, 8)}`,
    ownerEmail: `owner-${randomUUID().slice(0, 8)}@bench.example`,
  });
  if (!created.token) throw new Error('the bench owner already existed: no token was issued');
  const statuses = ['FAIL', 'WARN', 'OK', 'OK'] as const;
  const now = new Date();
  for (let r = 0; r < REPOS; r++) {
    const repo = em.create(RepositoryEntity, {
      orgId: created.org.id,
      owner: 'bench',
      name: `service-${String(r).padStart(3, '0')}`,
      defaultBranch: 'main',
      status: statuses[r % statuses.length]!,
      lastScanAt: now,
    });
    await em.flush();
    const findings: DesiredFinding[] = Array.from({ length: 3 + (r % 9) }, (_, i) => ({
      ecosystem: 'npm',
      packageName: `pkg-${r}-${i}`,
      version: '1.0.0',
      manifestPath: 'package-lock.json',
      vulnerabilityId: `GHSA-bench-${r}-${i}`,
      aliases: [],
      severity: SEVERITY_CYCLE[(r + i) % SEVERITY_CYCLE.length]!,
      cvssScore: null,
      fixedVersions: ['2.0.0'],
      summary: 'Benchmark advisory',
    }));
    await new MikroOrmFindingRepository(orm.em).sync({
      orgId: created.org.id,
      repoId: repo.id,
      snapshotId: randomUUID(),
      findings,
      now,
    });
    // 89 earlier days of counts that step up and down over weeks, then today's from the findings themselves.
    await em.getConnection().execute(
      `insert into open_finding_days (repo_id, day, org_id, critical, high, medium, low, unknown, recorded_at)
       select ?, (now() at time zone 'utc')::date - d, ?, ((d + ? * 7) / 30) % 2, ((d + ? * 11) / 20) % 3, ((d + ? * 5) / 15) % 4, ((d + ? * 3) / 45) % 3, ((d + ?) / 60) % 2, now()
       from generate_series(1, 89) d`,
      [repo.id, created.org.id, r, r, r, r, r],
    );
    await new MikroOrmOpenFindingHistory(orm.em.fork()).record(repo.id, now);
  }
  return { orgId: created.org.id, token: created.token };
}

function stats(label: string, values: number[]): void {
  console.log(
    `  ${label.padEnd(44)} median ${median(values).toFixed(0)} ms, p90 ${quantile(values, 0.9).toFixed(0)} ms, min ${Math.min(...values).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms (n=${values.length})`,
  );
}

async function main(): Promise<void> {
  console.log(
    `bench:web on ${availableParallelism()} CPUs, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const webDir = fs.mkdtempSync(path.join(tmpdir(), 'repoguard-web-bench-'));
  buildDashboard(webDir);
  bundleSizes(webDir);

  await prepareDatabase(DATABASE_URL);
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl: DATABASE_URL, poolMax: 4 }));
  const { orgId, token } = await seed(orm);
  await orm.close(true);

  // Temporal is not needed to read: a scan request would wait for it (PENDING), none is made.
  const api = await startApiProcess(
    testApiEnv({
      DATABASE_URL,
      TEMPORAL_ADDRESS: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233',
      WEB_DIST_DIR: webDir,
    }),
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const overview = `${api.url}/orgs/${orgId}`;
    const visible = { state: 'visible' } as const;
    // Until the overview's numbers show: the open findings total and the trend chart.
    const untilNumbers = async (page: import('playwright-core').Page) => {
      await page.getByTestId('severity-count-total').waitFor(visible);
      await page.getByTestId('trend-chart').waitFor(visible);
    };
    const cold: number[] = [];
    for (let i = 0; i < LOADS + 1; i++) {
      const context = await browser.newContext();
      // The signed-in tab's token, as the sign-in page leaves it (evaluated over DevTools, not the page's CSP).
      await context.addInitScript(`sessionStorage.setItem('repoguard.token', ${JSON.stringify(token)})`);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(overview);
      await untilNumbers(page);
      if (i > 0) cold.push(performance.now() - started); // the first warms the API's own caches
      await context.close();
    }
    const warm: number[] = [];
    const context = await browser.newContext();
    await context.addInitScript(`sessionStorage.setItem('repoguard.token', ${JSON.stringify(token)})`);
    const page = await context.newPage();
    await page.goto(overview);
    await untilNumbers(page);
    for (let i = 0; i < LOADS; i++) {
      const started = performance.now();
      await page.reload();
      await untilNumbers(page);
      warm.push(performance.now() - started);
    }
    if (process.env['BENCH_WEB_SCREENSHOT']) {
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.screenshot({ path: process.env['BENCH_WEB_SCREENSHOT'] });
    }
    await context.close();
    const summaryTimes: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const started = performance.now();
      const answer = await fetch(`${api.url}/api/v1/orgs/${orgId}/summary`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await answer.arrayBuffer();
      summaryTimes.push(performance.now() - started);
    }
    console.log(`overview of ${REPOS} repositories, loopback, Chromium (${CHROMIUM}), to the numbers shown:`);
    stats('new browser context each (nothing cached)', cold);
    stats('reload in one context (bundle cached)', warm);
    stats('GET /orgs/{org_id}/summary alone', summaryTimes);
    console.log(
      `load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await browser.close();
    await api.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
