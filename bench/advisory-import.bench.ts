// npm run bench:advisory-import — one OSV export of BENCH_RECORDS records (default 100,000; the
// real records of ../shared/osv under new ids, ~2.5 KB each) imported by the importer an advisory
// sync runs, into a fresh database, then imported again unchanged. Each import runs in a process
// of its own, so its peak RSS (process.resourceUsage().maxRSS) is the import's alone. The zip is
// built with Info-ZIP's `zip` (zip64: more than 65,535 entries) and kept in the temp directory.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  createMikroOrmConfig,
  dropDatabase,
  OsvExportImporter,
  prepareDatabase,
  readOsvExport,
} from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../test/support/fresh-database';
import { sharedOsvExport } from '../test/support/shared-osv';

const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 100_000);

const benchId = (i: number) => `RG-BENCH-${String(i).padStart(7, '0')}`;

function buildExport(count: number): string {
  const zip = path.join(tmpdir(), `repoguard-bench-osv-sorted-${count}.zip`);
  if (existsSync(zip)) return zip;
  const templates = ['PyPI-all.zip', 'npm-ghsa.zip'].flatMap(
    (file) => readOsvExport(sharedOsvExport(file)).records,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-bench-osv-'));
  try {
    for (let i = 0; i < count; i++) {
      const id = benchId(i);
      writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ ...templates[i % templates.length], id }));
    }
    // In name order, as OSV's exports are stored.
    const names = Array.from({ length: count }, (_, i) => `${benchId(i)}.json`).join('\n');
    execFileSync('zip', ['-q', '-D', '-@', `${zip}.part`], { cwd: dir, input: names });
    execFileSync('mv', [`${zip}.part`, zip]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return zip;
}

/** In its own process: one import, and what it cost. */
async function importOnce(zip: string, databaseUrl: string): Promise<void> {
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  try {
    const started = performance.now();
    const report = await new OsvExportImporter(orm.em.fork()).importFrom(zip);
    const seconds = (performance.now() - started) / 1000;
    const { read, inserted, updated, unchanged, writtenAt } = report;
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(JSON.stringify({ seconds, maxRssMb, read, inserted, updated, unchanged, writtenAt }));
  } finally {
    await orm.close(true);
  }
}

async function main(): Promise<void> {
  const [mode, zipArg, urlArg] = process.argv.slice(2);
  if (mode === '--child') return importOnce(zipArg!, urlArg!);
  const zip = buildExport(RECORDS);
  const databaseUrl = freshDatabaseUrl('bench_import');
  await prepareDatabase(databaseUrl);
  try {
    for (const run of ['first import', 'unchanged re-import']) {
      const child = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', __filename, '--child', zip, databaseUrl],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`${run} failed (${child.status}): ${child.stdout}`);
      console.log(`${run} of ${RECORDS} records: ${child.stdout.trim().split('\n').pop()}`);
    }
  } finally {
    await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
