// npm run bench:api — latency of GET /repos/{id}/findings under load: the API in its own process on
// PostgreSQL and Redis, one repository with 20,000 findings, 50 connections (autocannon).
//   BENCH_BASELINE_REF=<ref>   before/after in one run: the API of <ref> (default: where this branch
//                              left main; `none` to skip) and of this tree, on the same data, alternately
//   BENCH_ROUNDS=2             alternating rounds of BENCH_DURATION_S (10) seconds per side
//   BENCH_CPU_PROF_DIR=<dir>   a V8 CPU profile of each API process
// This tree's API runs with API_PROCESSES=auto (one per CPU, at most 4) unless the environment sets
// another; the CPU per request counts every process of an API.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { CreateOrganization } from '@repoguard/application';
import { toPurl, type Ecosystem, type Severity } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  DependencySnapshotEntity,
  MikroOrmUnitOfWork,
  OpaqueTokenIssuer,
  prepareDatabase,
  RepositoryEntity,
} from '@repoguard/infrastructure';
import { startApiProcess, type ApiProcess } from '../test/support/api-process';

const FINDINGS = 20_000;
const PACKAGES = 8_000; // each vulnerable package carries 2 or 3 findings
const UNAFFECTED_DEPENDENCIES = 4_000;
const VULNERABILITIES = 3_000;
const SCANS = 250; // first_seen values come from scans, so many findings share one
const CHUNK = 1_000;
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const WARMUP_S = 2;
const CONNECTIONS = 50;
const TARGET_P99_MS = 50;
const ROOT = path.resolve(__dirname, '..');

/** Deterministic, so every run benchmarks the same data (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, choices: readonly (readonly [T, number])[]): T {
  let roll = rand() * choices.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of choices) {
    roll -= w;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

const ECOSYSTEM_MIX: readonly (readonly [Ecosystem, number])[] = [
  ['npm', 45],
  ['PyPI', 25],
  ['Maven', 10],
  ['Go', 8],
  ['crates.io', 5],
  ['RubyGems', 4],
  ['Packagist', 3],
];
const SEVERITY_MIX: readonly (readonly [Severity, number])[] = [
  ['CRITICAL', 8],
  ['HIGH', 30],
  ['MEDIUM', 40],
  ['LOW', 15],
  ['UNKNOWN', 7],
];
const STATUS_MIX: readonly (readonly ['open' | 'fixed' | 'ignored', number])[] = [
  ['open', 75],
  ['fixed', 18],
  ['ignored', 7],
];
const MANIFEST: Record<Ecosystem, string> = {
  npm: 'web/package-lock.json',
  PyPI: 'services/api/poetry.lock',
  Maven: 'backend/pom.xml',
  Go: 'tools/go.mod',
  'crates.io': 'native/Cargo.lock',
  RubyGems: 'docs/Gemfile.lock',
  Packagist: 'legacy/composer.lock',
};

function packageName(ecosystem: Ecosystem, i: number): string {
  switch (ecosystem) {
    case 'npm':
      return i % 4 === 0 ? `@scope-${i % 97}/widget-${i}` : `widget-${i}`;
    case 'Maven':
      return `org.example.group${i % 53}:artifact-${i}`;
    case 'Go':
      return `github.com/org${i % 71}/module-${i}`;
    case 'Packagist':
      return `vendor${i % 41}/package-${i}`;
    default:
      return `package_${i}`;
  }
}

interface Package {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  readonly manifestPath: string;
}

interface Vulnerability {
  readonly id: string;
  readonly alias: string;
  readonly severity: Severity;
  readonly cvss: number | null;
}

const CVSS_OF: Record<Severity, number | null> = {
  CRITICAL: 9.8,
  HIGH: 7.5,
  MEDIUM: 5.3,
  LOW: 3.1,
  UNKNOWN: null,
};

async function insertChunked(
  em: EntityManager,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  const knex = em.getKnex();
  for (let i = 0; i < rows.length; i += CHUNK) await knex(table).insert(rows.slice(i, i + CHUNK));
}

/**
 * Empties the tables so each run starts from the same data. The audit log is append-only even to
 * TRUNCATE (a trigger): it keeps one org.created row per run, which no benchmarked query reads.
 */
async function resetData(em: EntityManager): Promise<void> {
  const tables = (await em
    .getConnection()
    .execute(
      `select tablename from pg_tables where schemaname = 'public' ` +
        `and tablename not in ('mikro_orm_migrations', 'audit_logs')`,
    )) as { tablename: string }[];
  await em
    .getConnection()
    .execute(`truncate table ${tables.map((t) => `"${t.tablename}"`).join(', ')} restart identity cascade`);
}

async function seed(orm: MikroORM): Promise<{ token: string; repoId: string; openHigh: number }> {
  const em = orm.em.fork();
  await resetData(em);
  const rand = random(20_000);
  const created = await new CreateOrganization(new MikroOrmUnitOfWork(em), new OpaqueTokenIssuer()).execute({
    actor: { actorType: 'system', actorId: 'bench', correlationId: null, ip: null },
    name: 'Bench Org',
    slug: 'bench-api',
    ownerEmail: 'owner@bench.example',
  });
  // The tables were just emptied, so the owner is new and gets a first token.
  if (!created.token) throw new Error('the bench owner already existed: no token was issued');
  const token = created.token;
  const orgId = created.org.id;
  const repo = em.create(RepositoryEntity, {
    orgId,
    owner: 'bench',
    name: 'monorepo',
    defaultBranch: 'main',
    status: 'FAIL',
    lastScanAt: new Date(),
  });
  const snapshot = em.create(DependencySnapshotEntity, {
    orgId,
    repoId: repo.id,
    commitSha: 'b'.repeat(40),
    manifests: Object.values(MANIFEST).map((path, i) => ({
      path,
      blobSha: String(i).repeat(40).slice(0, 40),
      parserId: path.split('/').pop()!,
      diagnostics: [],
    })),
  });
  await em.flush();

  const vulnerabilities: Vulnerability[] = [];
  const vulnerabilityRows: Record<string, unknown>[] = [];
  for (let i = 0; i < VULNERABILITIES; i++) {
    const hex = (i * 2654435761).toString(36).padStart(12, '0').slice(-12);
    const id = `GHSA-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
    const alias = `CVE-${2018 + (i % 8)}-${10_000 + i}`;
    const severity = weighted(rand, SEVERITY_MIX);
    const summary = `Prototype pollution or request smuggling in component ${i} allows remote attackers to ${
      i % 2 ? 'execute code' : 'read files'
    }`;
    const references = [
      { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${alias}` },
      { type: 'WEB', url: `https://github.com/advisories/${id}` },
      { type: 'PACKAGE', url: `https://example.test/packages/${i}` },
    ];
    vulnerabilities.push({ id, alias, severity, cvss: CVSS_OF[severity] });
    vulnerabilityRows.push({
      id,
      aliases: JSON.stringify([alias]),
      summary,
      details: `${summary}.\n\n${'Affected versions fail to validate input before use. '.repeat(12)}`,
      severity,
      cvss_score: CVSS_OF[severity],
      cvss_vector: CVSS_OF[severity] === null ? null : 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      references: JSON.stringify(references),
      record: JSON.stringify({
        id,
        modified: '2026-01-01T00:00:00Z',
        aliases: [alias],
        summary,
        affected: [
          { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `${1 + (i % 9)}.0.0` }] }] },
        ],
        references,
      }),
      modified: new Date('2026-01-01T00:00:00Z'),
    });
  }
  await insertChunked(em, 'vulnerabilities', vulnerabilityRows);

  const packages: Package[] = [];
  const dependencyRows: Record<string, unknown>[] = [];
  for (let i = 0; i < PACKAGES + UNAFFECTED_DEPENDENCIES; i++) {
    const ecosystem = weighted(rand, ECOSYSTEM_MIX);
    const name = packageName(ecosystem, i);
    const version = `${i % 7}.${i % 23}.${i % 11}`;
    const manifestPath = MANIFEST[ecosystem];
    if (i < PACKAGES) packages.push({ ecosystem, name, version, manifestPath });
    const direct = rand() < 0.2;
    dependencyRows.push({
      id: randomUUID(),
      org_id: orgId,
      snapshot_id: snapshot.id,
      ecosystem,
      name,
      version,
      specifier: direct ? `^${version}` : null,
      scope: rand() < 0.25 ? 'dev' : 'runtime',
      direct,
      manifest_path: manifestPath,
      line: direct ? 1 + (i % 400) : null,
      purl: toPurl(ecosystem, name, version),
    });
  }
  await insertChunked(em, 'dependencies', dependencyRows);

  const now = Date.now();
  const scanTimes = Array.from({ length: SCANS }, (_, s) => new Date(now - (SCANS - s) * 36 * 3_600_000));
  const findingRows: Record<string, unknown>[] = [];
  let openHigh = 0;
  for (let i = 0; i < FINDINGS; i++) {
    const p = i % PACKAGES;
    const k = Math.floor(i / PACKAGES);
    // k * 1031 is never a multiple of VULNERABILITIES for k < 3: (package, vulnerability) stays distinct.
    const vulnerability = vulnerabilities[(p * 7 + k * 1031) % VULNERABILITIES]!;
    const pkg = packages[p]!;
    const status = weighted(rand, STATUS_MIX);
    const firstSeen = scanTimes[Math.floor(rand() * SCANS)]!;
    const fixedAt = status === 'fixed' ? new Date(firstSeen.getTime() + 3_600_000 * (1 + (i % 400))) : null;
    if (status === 'open' && (vulnerability.severity === 'HIGH' || vulnerability.severity === 'CRITICAL')) {
      openHigh++;
    }
    findingRows.push({
      id: randomUUID(),
      org_id: orgId,
      repo_id: repo.id,
      ecosystem: pkg.ecosystem,
      package_name: pkg.name,
      version: pkg.version,
      manifest_path: pkg.manifestPath,
      vulnerability_id: vulnerability.id,
      aliases: JSON.stringify([vulnerability.alias]),
      severity: vulnerability.severity,
      cvss_score: vulnerability.cvss,
      fixed_versions: JSON.stringify([`${1 + (p % 9)}.0.0`]),
      status,
      triage_reason: status === 'ignored' ? 'not reachable from our code' : null,
      triage_expires_at: status === 'ignored' && i % 2 ? new Date(now + 30 * 86_400_000) : null,
      last_snapshot_id: snapshot.id,
      first_seen: firstSeen,
      last_seen: fixedAt ?? new Date(now),
      fixed_at: fixedAt,
    });
  }
  await insertChunked(em, 'findings', findingRows);
  // As autovacuum would by the time a real table reached this size (it vacuums after inserts too):
  // the planner needs statistics, and an index-only scan a visibility map.
  await em.getConnection().execute('vacuum analyze');
  return { token, repoId: repo.id, openHigh };
}

async function load(
  url: string,
  token: string,
  title: string,
  durationS: number,
  connections = CONNECTIONS,
): Promise<autocannon.Result> {
  return autocannon({
    url,
    title,
    connections,
    duration: durationS,
    headers: { authorization: `Bearer ${token}` },
    // The load generator in its own thread, so it does not compete with the API's event loop.
    workers: 1,
  });
}

/**
 * Waits until the API's connection pool has been idle for a moment. When autocannon stops it drops
 * its sockets, but the requests the API has already accepted still run; closing the ORM under them
 * (or starting the next run) would count their work in the wrong place.
 */
async function drain(orm: MikroORM): Promise<void> {
  const connection = orm.em.getConnection();
  for (let quiet = 0; quiet < 3;) {
    await sleep(100);
    const [row] = await connection.execute<{ active: string }[]>(
      `select count(*) as active from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
    );
    quiet = Number(row?.active ?? 0) > 0 ? 0 : quiet + 1;
  }
}

/** One API under test, with the database it runs on and the data seeded there. */
interface Side {
  readonly label: string;
  readonly app: ApiProcess;
  readonly orm: MikroORM;
  readonly token: string;
  readonly repoId: string;
}

interface Round {
  readonly side: string;
  readonly result: autocannon.Result;
  readonly cpu: CpuPerRequest;
}

/** CPU time (user + system) per answered request: what a machine shared with others cannot blur. */
interface CpuPerRequest {
  readonly apiMs: number;
  readonly databaseMs: number;
}

const CLOCK_TICKS_PER_S = 100; // getconf CLK_TCK on Linux

/** A process's CPU time so far in ms, from /proc (0 once it has gone). */
function cpuMs(pid: number): number {
  try {
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** A process's CPU time and that of its descendants (API_PROCESSES forks), in ms. */
function treeCpuMs(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const queue = [pid]; queue.length > 0;) {
    const next = queue.pop()!;
    total += cpuMs(next);
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

/** The PostgreSQL backends serving the bench database (the server runs on this machine). */
async function databaseCpuMs(orm: MikroORM): Promise<Map<number, number>> {
  const rows = await orm.em
    .getConnection()
    .execute<{ pid: number }[]>(
      `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
  return new Map(rows.map(({ pid }) => [pid, cpuMs(pid)]));
}

/** Runs `work` and returns the CPU the API process and the database spent on it, per request. */
async function measured(
  orm: MikroORM,
  app: ApiProcess,
  work: () => Promise<autocannon.Result>,
): Promise<{ result: autocannon.Result; cpu: CpuPerRequest }> {
  const pid = app.process.child.pid!;
  const apiBefore = treeCpuMs(pid);
  const dbBefore = await databaseCpuMs(orm);
  const result = await work();
  await drain(orm);
  const apiMs = treeCpuMs(pid) - apiBefore;
  // A backend that appeared during the run counts from zero; one that ended is lost (rare: the pool keeps them).
  let databaseMs = 0;
  for (const [backend, after] of await databaseCpuMs(orm)) databaseMs += after - (dbBefore.get(backend) ?? 0);
  const requests = Math.max(1, result.requests.total);
  return { result, cpu: { apiMs: apiMs / requests, databaseMs: databaseMs / requests } };
}

function line(result: autocannon.Result): string {
  const { latency } = result;
  const verdict = latency.p99 < TARGET_P99_MS ? 'meets' : 'MISSES';
  return (
    `p50 ${latency.p50} ms, p90 ${latency.p90} ms, p99 ${latency.p99} ms, ` +
    `${result.requests.average.toFixed(0)} req/s, ${result.non2xx} non-2xx, ` +
    `${result.errors} errors over ${result.duration.toFixed(0)} s ` +
    `(${verdict} target p99 < ${TARGET_P99_MS} ms)`
  );
}

function print(side: string, result: autocannon.Result, cpu?: CpuPerRequest): void {
  const spent = cpu
    ? `; CPU per request: API ${cpu.apiMs.toFixed(2)} ms, PostgreSQL ${cpu.databaseMs.toFixed(2)} ms`
    : '';
  console.log(`  ${side.padEnd(28)} ${result.title}: ${line(result)}${spent}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The commit this branch started from: what "today" means for a before/after comparison. */
function defaultBaselineRef(): string | null {
  try {
    return execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, stdio: 'pipe' })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/**
 * A checkout of `ref` next to this one, sharing its node_modules, for the baseline API to run from.
 * Removed again by the returned function.
 */
function baselineCheckout(ref: string): { root: string; commit: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-api-baseline-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: ROOT, stdio: 'pipe' }).toString().trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  git('worktree', 'add', '--detach', root, commit);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return { root, commit, remove: () => git('worktree', 'remove', '--force', root) };
}

/**
 * The baseline's own database, migrated by the baseline's own code: an index this branch adds
 * must not speed up "before" too. Dropped first, so no migration of another run is left in it.
 */
async function baselineDatabase(orm: MikroORM, databaseUrl: string, root: string): Promise<string> {
  const url = new URL(databaseUrl);
  const name = `${url.pathname.slice(1)}_baseline`;
  url.pathname = `/${name}`;
  await orm.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
  execFileSync(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      '-e',
      `require('./libs/infrastructure/src/persistence/database-bootstrap').prepareDatabase(${JSON.stringify(url.toString())})` +
        '.then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })',
    ],
    {
      cwd: root,
      env: { ...process.env, SWC_NODE_IGNORE_DYNAMIC: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return url.toString();
}

async function main(): Promise<void> {
  const databaseUrl =
    process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_bench_api';
  // BENCH_BASELINE_REF=none benchmarks this tree alone.
  const baselineRef = process.env['BENCH_BASELINE_REF'] ?? defaultBaselineRef();
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 2);
  await prepareDatabase(databaseUrl);
  const orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
  const orms: MikroORM[] = [orm];
  const sides: Side[] = [];
  let baseline: ReturnType<typeof baselineCheckout> | undefined;
  try {
    const env = {
      // 'test' only quietens Nest's start-up log lines; the request path is the same.
      NODE_ENV: 'test',
      // The findings route never talks to Temporal, and the API connects to it lazily.
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      // Far above what the bench sends: the limiter still counts every request, but never refuses.
      RATE_LIMIT_PER_MINUTE: '100000000',
      // Every connection comes from the loopback: one source address for the per-address limit.
      PRE_AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      LOG_LEVEL: 'info',
      API_PROCESSES: process.env['API_PROCESSES'] ?? 'auto',
    };
    const profileDir = process.env['BENCH_CPU_PROF_DIR'];
    // A V8 CPU profile of each API process, written when it exits.
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
    // Each API in its own process, as production runs it (the load generator is a worker thread
    // here), on a database of its own migrated by its own code, seeded with the same data.
    if (baselineRef && baselineRef !== 'none') {
      baseline = baselineCheckout(baselineRef);
      const url = await baselineDatabase(orm, databaseUrl, baseline.root);
      const baselineOrm = await MikroORM.init(createMikroOrmConfig({ databaseUrl: url, poolMax: 2 }));
      orms.push(baselineOrm);
      const seeded = await seed(baselineOrm);
      sides.push({
        label: `before (${baseline.commit.slice(0, 12)})`,
        app: await startApiProcess(
          { ...env, DATABASE_URL: url },
          { root: baseline.root, nodeArgs, startTimeoutMs: 240_000 },
        ),
        orm: baselineOrm,
        ...seeded,
      });
    }
    const seeded = await seed(orm);
    sides.push({
      label: 'after (this tree)',
      app: await startApiProcess(
        { ...env, DATABASE_URL: databaseUrl },
        { nodeArgs, startTimeoutMs: 240_000 },
      ),
      orm,
      ...seeded,
    });

    for (const { label, app, token, repoId } of sides) {
      const base = `${app.url}/api/v1/repos/${repoId}/findings`;
      // status=all: the list shows open findings by default, and the probe checks every seeded one is there.
      const probe = await fetch(`${base}?per_page=50&status=all`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await probe.json()) as { items?: unknown[]; total?: number };
      if (probe.status !== 200 || page.items?.length !== 50 || page.total !== FINDINGS) {
        throw new Error(`${label} probe answered ${probe.status}: ${JSON.stringify(page).slice(0, 300)}`);
      }
    }
    const findings = (side: Side) => `${side.app.url}/api/v1/repos/${side.repoId}/findings`;

    console.log(
      `RepoGuard API benchmark on ${process.version}, ${availableParallelism()} CPUs ` +
        `(load average ${loadavg()[0]!.toFixed(1)} before the run): GET /repos/{id}/findings, ` +
        `${FINDINGS} findings (${seeded.openHigh} open HIGH or CRITICAL), ${CONNECTIONS} connections` +
        (sides.length > 1 ? `, ${sides.map((s) => s.label).join(' and ')} alternately` : ''),
    );
    for (const side of sides) {
      // Unreported: lets the JIT compile the request path and the pool open its connections.
      await load(`${findings(side)}?per_page=50`, side.token, 'warm-up', WARMUP_S);
      await drain(side.orm);
    }
    const results: Round[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const side of sides) {
        const { result, cpu } = await measured(side.orm, side.app, () =>
          load(`${findings(side)}?per_page=50`, side.token, 'per_page=50', DURATION_S),
        );
        print(side.label, result, cpu);
        results.push({ side: side.label, result, cpu });
      }
    }
    for (const side of sides) {
      print(
        side.label,
        await load(
          `${findings(side)}?severity=high&status=open&per_page=50`,
          side.token,
          'severity=high&status=open&per_page=50',
          Math.max(1, Math.ceil(DURATION_S / 2)),
        ),
      );
      await drain(side.orm);
    }
    // One client at a time: the latency of a request that does not queue behind 49 others, i.e.
    // what the route itself costs; the 50-client runs above measure throughput on this machine.
    for (const side of sides) {
      print(
        side.label,
        await load(
          `${findings(side)}?per_page=50`,
          side.token,
          'per_page=50, 1 connection',
          Math.max(1, Math.ceil(DURATION_S / 2)),
          1,
        ),
      );
      await drain(side.orm);
    }
    if (sides.length > 1) {
      console.log(
        `  per_page=50, ${CONNECTIONS} connections, median of ${rounds} rounds of ${DURATION_S} s:`,
      );
      const summary = sides.map((side) => {
        const rounds = results.filter((r) => r.side === side.label);
        const own = rounds.map((r) => r.result);
        return {
          label: side.label,
          rps: median(own.map((r) => r.requests.average)),
          p50: median(own.map((r) => r.latency.p50)),
          p99: median(own.map((r) => r.latency.p99)),
          apiMs: median(rounds.map((r) => r.cpu.apiMs)),
          databaseMs: median(rounds.map((r) => r.cpu.databaseMs)),
        };
      });
      for (const s of summary) {
        console.log(
          `    ${s.label.padEnd(28)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${String(s.p50).padStart(4)} ms  ` +
            `p99 ${String(s.p99).padStart(4)} ms  CPU/request: API ${s.apiMs.toFixed(2)} ms, ` +
            `PostgreSQL ${s.databaseMs.toFixed(2)} ms`,
        );
      }
      const [before, after] = summary;
      console.log(
        `    throughput after/before ${(after!.rps / before!.rps).toFixed(2)}×, ` +
          `p99 before/after ${(before!.p99 / after!.p99).toFixed(2)}×, ` +
          `CPU per request before/after ${((before!.apiMs + before!.databaseMs) / (after!.apiMs + after!.databaseMs)).toFixed(2)}× ` +
          `(load average ${loadavg()[0]!.toFixed(1)} after the run)`,
      );
    }
  } finally {
    for (const { app } of sides) await app.close();
    baseline?.remove();
    for (const each of orms) await each.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
