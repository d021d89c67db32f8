import { createHash, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { toPurl, type OsvRecord, type ParsedDependency } from '@repoguard/domain';
import {
  MikroOrmFindingRepository,
  MikroOrmPolicyRepository,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  MikroOrmVulnerabilityCache,
  OrganizationEntity,
  RepositoryEntity,
} from '@repoguard/infrastructure';

// What the re-match specs share on the real database: a connected repository, snapshots holding
// one vulnerable dependency, and the rows they check.

export type RepoRef = { readonly orgId: string; readonly repoId: string };

/** The ports the scan steps take, on the database, with the worker clock `now`. */
export function scanStepDeps(orm: MikroORM, now: () => Date) {
  return {
    snapshots: new MikroOrmSnapshotRepository(orm.em),
    findings: new MikroOrmFindingRepository(orm.em),
    vulnerabilityCache: new MikroOrmVulnerabilityCache(orm.em),
    scans: new MikroOrmScanRepository(orm.em),
    policies: new MikroOrmPolicyRepository(orm.em),
    now,
  };
}

export type ScanStepDeps = ReturnType<typeof scanStepDeps>;

export async function connectedRepo(orm: MikroORM): Promise<RepoRef> {
  const em = orm.em.fork();
  const suffix = randomUUID().slice(0, 12);
  const org = em.create(OrganizationEntity, { name: 'rematch', slug: `rematch-${suffix}` });
  const repo = em.create(RepositoryEntity, {
    orgId: org.id,
    owner: 'rematch',
    name: `rematch-${suffix}`,
    defaultBranch: 'main',
  });
  await em.flush();
  return { orgId: org.id, repoId: repo.id };
}

/** A scan of the repository, started as the worker starts it; its id. */
export async function startedScan(
  d: ScanStepDeps,
  repo: RepoRef,
  trigger = 'api',
  requestedBy = 'test',
): Promise<string> {
  const scanId = randomUUID();
  await d.scans.start({
    scanId,
    ...repo,
    workflowId: `repo-scan:${repo.repoId}`,
    runId: randomUUID(),
    trigger,
    requestedBy,
    ref: null,
  });
  return scanId;
}

const advisoryFor = (name: string): OsvRecord => ({
  id: `RG-REMATCH-${randomUUID()}`,
  modified: '2026-01-01T00:00:00Z',
  summary: 'rematch test advisory',
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.0.0' }] }],
    },
  ],
});

const dependency = (name: string, version: string) => {
  const d: ParsedDependency = {
    ecosystem: 'npm',
    name,
    version,
    scope: 'runtime',
    direct: true,
    manifestPath: 'package-lock.json',
    line: 1,
  };
  return { ...d, purl: toPurl(d.ecosystem, d.name, d.version) };
};

/** A snapshot holding one vulnerable dependency, matched against its own advisory. */
export async function matchedSnapshot(d: ScanStepDeps, repo: RepoRef, name: string): Promise<string> {
  const snapshotId = await d.snapshots.create({
    ...repo,
    commitSha: createHash('sha1').update(randomUUID()).digest('hex'),
    // The lock file its dependency came from, read in full: a snapshot without it reads nothing,
    // and persist would then close none of the findings it no longer has.
    manifests: [
      { path: 'package-lock.json', blobSha: 'b'.repeat(40), parserId: 'package-lock-json', diagnostics: [] },
    ],
    dependencies: [dependency(name, '1.0.0')],
  });
  const advisory = advisoryFor(name);
  await d.vulnerabilityCache.upsert([advisory]);
  const [stored] = await d.snapshots.dependencies(snapshotId);
  await d.snapshots.replaceMatches({ id: snapshotId, ...repo }, [
    { dependencyId: stored!.id, vulnerabilityId: advisory.id },
  ]);
  return snapshotId;
}

/** The repository's findings, package name to status. */
export async function findingRows(orm: MikroORM, repoId: string): Promise<Record<string, string>> {
  const rows = (await orm.em
    .getKnex()('findings')
    .where({ repo_id: repoId })
    .select('package_name', 'status')) as { package_name: string; status: string }[];
  return Object.fromEntries(rows.map((r) => [r.package_name, r.status]));
}

export async function scanRow(orm: MikroORM, scanId: string) {
  return (await orm.em
    .getKnex()('scans')
    .where({ id: scanId })
    .first('status', 'error_code', 'completed_at')) as { status: string; error_code: string | null };
}
