// npm run bench:cli — issue 21 point 5: whole-process wall time of `repoguard check` (the packed
// @repoguard/cli bundle run with node, as `npx ./repoguard-cli-*.tgz` runs it, minus npx) before and
// after this branch, beside osv-scanner v2 on the same inputs and the same advisories, in one run.
//   before: the base commit (BENCH_CLI_BASE, default the merge base with main) packed from a
//           temporary `git worktree`; after: this checkout packed.
//   osv-scanner: OSV_SCANNER or ~/go/bin/osv-scanner; skipped, with the build command, when absent.
//   BENCH_RUNS (default 7) measured runs of each, interleaved, after one warm-up run each (which
//   builds the after CLI's zip catalogs; its time is printed as "first run").
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './bench-util';

const ROOT = path.resolve(__dirname, '..');
const OSV = path.resolve(ROOT, '../shared/osv');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 7);
const BUILD_PEER = 'GOTOOLCHAIN=go1.27.3 go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.6.0';

interface Tool {
  readonly name: string;
  command(input: string): { file: string; args: string[]; env: NodeJS.ProcessEnv };
  findings(stdout: string): string;
}

function pack(checkout: string, into: string): string {
  execFileSync(process.execPath, ['-r', '@swc-node/register', 'scripts/pack-cli.ts', into], {
    cwd: checkout,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return path.join(into, 'cli-package/cli.js');
}

function packBase(work: string): string {
  const base =
    process.env['BENCH_CLI_BASE'] ??
    execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const tree = path.join(work, 'base');
  execFileSync('git', ['worktree', 'add', '--detach', tree, base], { cwd: ROOT, stdio: 'ignore' });
  try {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
    return pack(tree, path.join(work, 'packed-base'));
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT, stdio: 'ignore' });
  }
}

function repoguard(name: string, cli: string, cacheDir: string): Tool {
  return {
    name,
    command: (input) => ({
      file: process.execPath,
      args: [
        cli,
        'check',
        input,
        '--advisories',
        path.join(OSV, 'PyPI-all.zip'),
        '--advisories',
        path.join(OSV, 'npm-ghsa.zip'),
        '--format',
        'json',
      ],
      env: { ...process.env, REPOGUARD_CACHE_DIR: cacheDir },
    }),
    findings: (stdout) => {
      const report = JSON.parse(stdout) as { summary: { findings_total: number } };
      return `${report.summary.findings_total} findings`;
    },
  };
}

function osvScanner(work: string): Tool | undefined {
  const binary = process.env['OSV_SCANNER'] ?? path.join(homedir(), 'go/bin/osv-scanner');
  if (!existsSync(binary)) {
    console.log(`osv-scanner: skipped, ${binary} is absent (build it: ${BUILD_PEER})`);
    return undefined;
  }
  // Its offline database layout: <dir>/osv-scalibr/<Ecosystem>/all.zip, the same zips as above.
  const db = path.join(work, 'osv-db');
  for (const [ecosystem, zip] of [
    ['PyPI', 'PyPI-all.zip'],
    ['npm', 'npm-ghsa.zip'],
  ] as const) {
    mkdirSync(path.join(db, 'osv-scalibr', ecosystem), { recursive: true });
    symlinkSync(path.join(OSV, zip), path.join(db, 'osv-scalibr', ecosystem, 'all.zip'));
  }
  return {
    name: 'osv-scanner',
    command: (input) => ({
      file: binary,
      args: ['scan', 'source', '--offline-vulnerabilities', '--no-resolve', '--format', 'json', '-L', input],
      env: { ...process.env, OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY: db },
    }),
    findings: (stdout) => {
      const report = JSON.parse(stdout) as {
        results?: { packages: { vulnerabilities?: unknown[]; groups?: unknown[] }[] }[];
      };
      const packages = (report.results ?? []).flatMap((r) => r.packages);
      const records = packages.reduce((n, p) => n + (p.vulnerabilities?.length ?? 0), 0);
      const groups = packages.reduce((n, p) => n + (p.groups?.length ?? 0), 0);
      return `${groups} findings (${records} records)`;
    },
  };
}

function inputs(work: string): { name: string; file: string }[] {
  const small = path.join(work, 'small');
  mkdirSync(small);
  writeFileSync(
    path.join(small, 'requirements.txt'),
    'django==3.2.0\nrequests==2.25.0\nflask==1.0\njinja2==2.10\npillow==8.0.0\n',
  );
  const lock = (name: string, packages: [string, string][]) => {
    const dir = path.join(work, name);
    mkdirSync(dir);
    const entries = Object.fromEntries(packages.map(([n, v]) => [`node_modules/${n}`, { version: v }]));
    writeFileSync(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({
        name,
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name, version: '1.0.0' }, ...entries },
      }),
    );
    return path.join(dir, 'package-lock.json');
  };
  const few: [string, string][] = [
    ['lodash', '4.17.15'],
    ['vite', '5.0.0'],
    ['qs', '6.5.2'],
    ['express', '4.17.1'],
    ['react', '18.2.0'],
  ];
  const many: [string, string][] = [...few];
  for (let i = few.length; i < 5_000; i++) many.push([`rg-bench-pkg-${i}`, '1.0.0']);
  return [
    { name: 'requirements.txt (5 packages)', file: path.join(small, 'requirements.txt') },
    { name: 'package-lock.json (5 packages)', file: lock('few', few) },
    { name: 'package-lock.json (5,000 packages)', file: lock('many', many) },
  ];
}

function runOnce(tool: Tool, input: string): { ms: number; findings: string } {
  const { file, args, env } = tool.command(input);
  const started = performance.now();
  const result = spawnSync(file, args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${tool.name} exited ${result.status}: ${result.stderr}`);
  return { ms, findings: tool.findings(result.stdout) };
}

function main(): void {
  const work = mkdtempSync(path.join(tmpdir(), 'repoguard-bench-cli-'));
  try {
    console.log('packing the before and after CLIs (webpack, a minute or two)...');
    const before = packBase(work);
    const after = pack(ROOT, path.join(work, 'packed-head'));
    const peer = osvScanner(work);
    const tools = [
      repoguard('repoguard before', before, path.join(work, 'cache-before')),
      repoguard('repoguard after', after, path.join(work, 'cache-after')),
      ...(peer ? [peer] : []),
    ];
    console.log(
      `\nwhole-process wall time, median of ${RUNS} interleaved runs (machine load makes these noisy)`,
    );
    console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadAverage()}\n`);
    for (const input of inputs(work)) {
      const first = tools.map((tool) => runOnce(tool, input.file));
      const samples = tools.map(() => [] as number[]);
      for (let run = 0; run < RUNS; run++)
        tools.forEach((tool, i) => samples[i]!.push(runOnce(tool, input.file).ms));
      console.log(input.name);
      tools.forEach((tool, i) =>
        console.log(
          `  ${tool.name.padEnd(18)} median ${median(samples[i]!).toFixed(0).padStart(6)} ms   first run ${first[
            i
          ]!.ms.toFixed(0).padStart(6)} ms   ${first[i]!.findings}`,
        ),
      );
    }
    console.log(`\nload average at the end ${loadAverage()}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
}

main();
