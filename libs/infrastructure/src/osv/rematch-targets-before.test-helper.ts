import { isEcosystem, normalizePackageName, type RematchTarget } from '@repoguard/domain';
import { NEWEST_FIRST } from '../persistence/repositories/scan-outcome-lock';

type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Re-match targets as found before `snapshot_package_keys` (issue 21): every repository's latest
 * completed snapshot joined with its dependencies by a loose name comparison, the domain's
 * normalisation deciding in JS. Kept to prove the keyed lookup finds the same repositories, and to
 * time the two side by side.
 */
export async function rematchTargetsBefore(
  execute: Execute,
  changedWhere: string,
  params: unknown[],
): Promise<RematchTarget[]> {
  const rows = (await execute(
    `with latest as (
         select distinct on (s.repo_id) s.snapshot_id as id, s.repo_id
           from scans s
          where s.status = 'COMPLETED' and s.snapshot_id is not null
          order by s.repo_id, ${NEWEST_FIRST('s')}
       ),
       changed as (
         select distinct p.ecosystem, p.name
           from mirrored_advisory_packages p
           join mirrored_advisories a on a.id = p.advisory_id
          where ${changedWhere}
       )
       select distinct r.org_id, r.id as repo_id, r.owner, r.name as repo_name, l.id as snapshot_id,
              d.ecosystem, d.name as package_name, c.name as advisory_package
         from latest l
         join repositories r on r.id = l.repo_id and r.disabled_at is null
         join organizations o on o.id = r.org_id and o.deleted_at is null
         join dependencies d on d.snapshot_id = l.id
         join changed c on c.ecosystem = d.ecosystem
          and lower(regexp_replace(c.name, '[-_.]+', '-', 'g')) = lower(regexp_replace(d.name, '[-_.]+', '-', 'g'))`,
    params,
  )) as {
    org_id: string;
    repo_id: string;
    owner: string;
    repo_name: string;
    snapshot_id: string;
    ecosystem: string;
    package_name: string;
    advisory_package: string;
  }[];
  const targets = new Map<string, RematchTarget>();
  for (const row of rows) {
    if (!isEcosystem(row.ecosystem)) continue;
    if (normalizePackageName(row.ecosystem, row.package_name) !== row.advisory_package) continue;
    targets.set(row.repo_id, {
      orgId: row.org_id,
      repoId: row.repo_id,
      owner: row.owner,
      name: row.repo_name,
      snapshotId: row.snapshot_id,
    });
  }
  return [...targets.values()].sort((a, b) => a.repoId.localeCompare(b.repoId));
}
