// npm run bench:match — mirror mode's matching: a 5,000-package package-lock.json and a
// 2,000-line requirements.txt parsed and matched in memory against the real advisories in
// ../shared/osv (warm index), next to the same files scanned end to end by a fresh worker whose
// index is cold (Temporal dev server, PostgreSQL, the whole workflow).
import { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_TEMPORAL_NAMESPACE } from '@repoguard/contract';
import { isEcosystem, parseManifest, type OsvRecord, type PackageVersionQuery } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  MirrorVulnerabilityDatabase,
  PostgresAdvisoryMirror,
  readOsvExport,
} from '@repoguard/infrastructure';
import { startLocalTemporal } from '../test/support/local-temporal';
import { startScanHarness } from '../test/support/scan-harness';
import { sharedOsvExport } from '../test/support/shared-osv';
import { median, prepareBenchServices } from './bench-util';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);

/** Versions an advisory names for a package: a listed version, else a range's introduced bound. */
function affectedPins(records: readonly OsvRecord[], ecosystem: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const record of records) {
    for (const affected of record.affected ?? []) {
      const name = affected.package?.name;
      if (affected.package?.ecosystem !== ecosystem || !name || pins.has(name)) continue;
      const version =
        affected.versions?.[0] ??
        affected.ranges?.flatMap((r) => r.events.map((e) => e.introduced)).find((v) => v && v !== '0');
      if (version) pins.set(name, version);
    }
  }
  return pins;
}

/** 5,000 packages: every npm package the advisories name, at an affected version, then fillers. */
function packageLock(pins: Map<string, string>, count: number): string {
  const packages: Record<string, { version: string }> = {};
  for (const [name, version] of pins) {
    if (Object.keys(packages).length >= count) break;
    packages[`node_modules/${name}`] = { version };
  }
  for (let i = 0; Object.keys(packages).length < count; i++) {
    packages[`node_modules/bench-filler-${i}`] = { version: `1.${i % 50}.${i % 7}` };
  }
  return JSON.stringify({
    name: 'bench',
    lockfileVersion: 3,
    packages: { '': { name: 'bench' }, ...packages },
  });
}

/** 2,000 lines: the PyPI packages the advisories name, pinned to affected versions, then fillers. */
function requirements(pins: Map<string, string>, count: number): string {
  const lines: string[] = [];
  for (const [name, version] of pins) {
    if (lines.length >= count) break;
    lines.push(`${name}==${version}`);
  }
  for (let i = 0; lines.length < count; i++) lines.push(`bench-filler-${i}==1.${i % 40}.0`);
  return `${lines.join('\n')}\n`;
}

function queriesOf(path: string, text: string): PackageVersionQuery[] {
  return parseManifest(path, text)
    .dependencies.filter((d) => d.version !== null && isEcosystem(d.ecosystem))
    .map((d) => ({ ecosystem: d.ecosystem, name: d.name, version: d.version! }));
}

async function main(): Promise<void> {
  const databaseUrl = await prepareBenchServices();
  const records = ['PyPI-all.zip', 'PyPI-ghsa.zip', 'npm-ghsa.zip', 'Go-ghsa.zip', 'Maven-ghsa.zip'].flatMap(
    (file) => readOsvExport(sharedOsvExport(file)).records,
  );
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 4 }));
  const files: [string, string][] = [
    ['package-lock.json', packageLock(affectedPins(records, 'npm'), 5_000)],
    ['requirements.txt', requirements(affectedPins(records, 'PyPI'), 2_000)],
  ];
  try {
    const mirror = new PostgresAdvisoryMirror(orm.em.fork());
    await mirror.import(records);
    console.log(
      `RepoGuard match benchmark on ${process.version}: mirror of ${(await mirror.state()).advisories} real advisories`,
    );

    // Warm: the worker's index is loaded; a scan's match step is parse + in-memory lookups.
    const database = new MirrorVulnerabilityDatabase(mirror);
    const heapBefore = process.memoryUsage().heapUsed;
    const loadStarted = performance.now();
    await database.queryBatch([]);
    console.log(
      `  index load (cold): ${(performance.now() - loadStarted).toFixed(0)} ms, ` +
        `about ${Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20)} MB of heap`,
    );
    for (const [path, text] of files) {
      const timings: number[] = [];
      let matched = 0;
      let queries = 0;
      for (let run = 0; run <= RUNS; run++) {
        const started = performance.now();
        const batch = queriesOf(path, text);
        const answers = await database.queryBatch(batch);
        if (run > 0) timings.push(performance.now() - started);
        queries = batch.length;
        matched = answers.filter((a) => a.length > 0).length;
      }
      console.log(
        `  ${path} (${queries} pinned packages, ${matched} affected): parse + match p50 ${median(timings).toFixed(1)} ms, ` +
          `max ${Math.max(...timings).toFixed(1)} ms over ${RUNS} runs, warm index (target < 200 ms)`,
      );
    }
  } finally {
    await orm.close(true);
  }

  // Cold: a fresh worker (its index not loaded yet) scans each file end to end.
  const env = await startLocalTemporal();
  process.env['TEMPORAL_ADDRESS'] = env.address;
  process.env['TEMPORAL_NAMESPACE'] = DEFAULT_TEMPORAL_NAMESPACE;
  try {
    for (const [path, text] of files) {
      const harness = await startScanHarness({
        name: 'bench-match',
        advisories: [],
        osvMode: 'mirror',
        quietWindowMs: 1,
        maxWaitMs: 1_000,
      });
      try {
        const repo = await harness.github.createRepo('bench', path.replace(/\W/g, '-'));
        await repo.commit({ [path]: text });
        const target = await harness.connectRepo('bench', path.replace(/\W/g, '-'));
        const started = performance.now();
        await harness.request(target);
        const result = await harness.waitForScan(target);
        if (result.phase !== 'COMPLETED') throw new Error(`scan ended ${result.phase}: ${result.errorCode}`);
        console.log(
          `  ${path}: whole scan with a cold worker (fetch, parse, index load, match, persist, evaluate): ` +
            `${(performance.now() - started).toFixed(0)} ms`,
        );
      } finally {
        await harness.close();
      }
    }
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
