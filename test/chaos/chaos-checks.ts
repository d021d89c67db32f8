// What must hold once the chaos is over, read from PostgreSQL (the API's and the worker's own
// records) for the run's repositories only, so earlier runs on the same database change nothing.
import { Pool } from 'pg';
import { MANIFEST_PATH } from './chaos-manifests';

export interface RepoExpectation {
  readonly repoId: string;
  readonly fullName: string;
  /** The newest commit pushed to the default branch. */
  readonly headSha: string;
  /** `package@version|advisory` open at that commit, sorted (see expectedFindings). */
  readonly openFindings: readonly string[];
}

export interface ScanCounts {
  readonly completed: number;
  readonly failed: number;
  /** Rows in any other status: a scan that never ended. */
  readonly unfinished: number;
  /** Failure codes of failed scans, with counts. */
  readonly failureCodes: Readonly<Record<string, number>>;
}

export interface CheckOutcome {
  /** One line per problem; empty when every check passed. */
  readonly problems: string[];
  readonly scans: ScanCounts;
}

const TERMINAL = ['COMPLETED', 'FAILED', 'SUPERSEDED'];

export class ChaosChecks {
  private readonly pool: Pool;

  constructor(databaseUrl: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 2 });
  }

  /** Repositories whose newest completed scan is not of their newest pushed commit. */
  async behind(repos: readonly RepoExpectation[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ repo_id: string; commit_sha: string | null }>(
      `select distinct on (repo_id) repo_id, commit_sha from scans
        where repo_id = any($1::uuid[]) and status = 'COMPLETED'
        order by repo_id, completed_at desc`,
      [repos.map((r) => r.repoId)],
    );
    const latest = new Map(rows.map((r) => [r.repo_id, r.commit_sha]));
    return repos.flatMap((repo) => {
      const sha = latest.get(repo.repoId);
      if (sha === repo.headSha) return [];
      return [
        `${repo.fullName}: newest completed scan is ${sha ? `of ${sha.slice(0, 12)}` : 'none'}, newest push ${repo.headSha.slice(0, 12)}`,
      ];
    });
  }

  async scanCounts(repos: readonly RepoExpectation[]): Promise<ScanCounts> {
    const { rows } = await this.pool.query<{ status: string; error_code: string | null; n: number }>(
      `select status, error_code, count(*)::int as n from scans
        where repo_id = any($1::uuid[]) group by status, error_code`,
      [repos.map((r) => r.repoId)],
    );
    const sum = (pick: (status: string) => boolean) =>
      rows.filter((r) => pick(r.status)).reduce((total, r) => total + r.n, 0);
    const failureCodes: Record<string, number> = {};
    for (const row of rows.filter((r) => r.status === 'FAILED'))
      failureCodes[row.error_code ?? 'none'] = (failureCodes[row.error_code ?? 'none'] ?? 0) + row.n;
    return {
      completed: sum((s) => s === 'COMPLETED'),
      failed: sum((s) => s === 'FAILED'),
      unfinished: sum((s) => !TERMINAL.includes(s)),
      failureCodes,
    };
  }

  /** Every check, once the run is quiet. */
  async verify(
    repos: readonly RepoExpectation[],
    acceptedDeliveryIds: readonly string[],
  ): Promise<CheckOutcome> {
    const repoIds = repos.map((r) => r.repoId);
    const problems = await this.behind(repos);

    // The findings' identity (the unique key a retried persist step relies on) never repeats.
    const duplicates = await this.pool.query<{
      repo_id: string;
      package_name: string;
      version: string;
      n: number;
    }>(
      `select repo_id, package_name, version, vulnerability_id, count(*)::int as n from findings
        where repo_id = any($1::uuid[])
        group by repo_id, ecosystem, package_name, version, manifest_path, vulnerability_id
       having count(*) > 1`,
      [repoIds],
    );
    for (const row of duplicates.rows)
      problems.push(`duplicated finding: repo ${row.repo_id} ${row.package_name}@${row.version} x${row.n}`);

    // What is open is exactly what the newest commit's pins are vulnerable to: nothing stale from
    // an older commit, nothing missing.
    const open = await this.pool.query<{ repo_id: string; finding: string }>(
      `select repo_id, package_name || '@' || version || '|' || vulnerability_id as finding from findings
        where repo_id = any($1::uuid[]) and status = 'open' and manifest_path = $2`,
      [repoIds, MANIFEST_PATH],
    );
    for (const repo of repos) {
      const actual = open.rows
        .filter((r) => r.repo_id === repo.repoId)
        .map((r) => r.finding)
        .sort();
      if (actual.join(',') !== repo.openFindings.join(',')) {
        problems.push(
          `${repo.fullName}: open findings [${actual.join(', ')}], expected [${repo.openFindings.join(', ')}] at ${repo.headSha.slice(0, 12)}`,
        );
      }
    }

    // Every delivery the API accepted is in its delivery log.
    const recorded = await this.pool.query<{ delivery_id: string }>(
      `select delivery_id from webhook_deliveries where delivery_id = any($1::text[])`,
      [acceptedDeliveryIds],
    );
    const seen = new Set(recorded.rows.map((r) => r.delivery_id));
    for (const id of acceptedDeliveryIds)
      if (!seen.has(id)) problems.push(`accepted delivery ${id} is not in webhook_deliveries`);

    const scans = await this.scanCounts(repos);
    if (scans.unfinished > 0) problems.push(`${scans.unfinished} scan(s) never reached COMPLETED or FAILED`);
    return { problems, scans };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
