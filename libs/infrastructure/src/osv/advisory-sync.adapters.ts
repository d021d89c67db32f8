import type { EntityManager } from '@mikro-orm/postgresql';
import {
  isEcosystem,
  normalizePackageName,
  type AdvisoryImporter,
  type AdvisoryImportReport,
  type RematchTarget,
  type RematchTargetFinder,
} from '@repoguard/domain';
import { readOsvExportFrom, type OsvExportSourceOptions } from './osv-export-source';
import { PostgresAdvisoryMirror } from './postgres-advisory-mirror';

/**
 * Reads an export from a path or URL, within the limits given, and writes it into the PostgreSQL
 * mirror; an export that passes a cap is refused whole (ADVISORY_EXPORT_TOO_LARGE, not retried).
 */
export class OsvExportImporter implements AdvisoryImporter {
  constructor(
    private readonly em: EntityManager,
    private readonly options: OsvExportSourceOptions = {},
  ) {}

  async importFrom(source: string): Promise<AdvisoryImportReport> {
    const read = await readOsvExportFrom(source, this.options);
    const { invalid, ...counts } = await new PostgresAdvisoryMirror(this.em.fork()).import(read.records);
    return { ...counts, skipped: read.problems.length + invalid.length };
  }
}

/**
 * Finds the repositories to re-match after an import: enabled repositories, of orgs not deleted,
 * whose last completed scan's snapshot holds a package that an advisory written since names. SQL narrows by a
 * loose name comparison; the domain's per-ecosystem normalisation decides.
 */
export class SqlRematchTargetFinder implements RematchTargetFinder {
  constructor(private readonly em: EntityManager) {}

  async affectedSince(writtenAt: string): Promise<RematchTarget[]> {
    const rows = (await this.em.getConnection().execute(
      `with latest as (
         select distinct on (s.repo_id) s.snapshot_id as id, s.repo_id
           from scans s
          where s.status = 'COMPLETED' and s.snapshot_id is not null
          order by s.repo_id, s.completed_at desc
       ),
       changed as (
         select distinct p.ecosystem, p.name
           from mirrored_advisory_packages p
           join mirrored_advisories a on a.id = p.advisory_id
          where a.imported_at >= ?::timestamptz
       )
       select distinct r.org_id, r.id as repo_id, r.owner, r.name as repo_name, l.id as snapshot_id,
              d.ecosystem, d.name as package_name, c.name as advisory_package
         from latest l
         join repositories r on r.id = l.repo_id and r.disabled_at is null
         join organizations o on o.id = r.org_id and o.deleted_at is null
         join dependencies d on d.snapshot_id = l.id
         join changed c on c.ecosystem = d.ecosystem
          and lower(regexp_replace(c.name, '[-_.]+', '-', 'g')) = lower(regexp_replace(d.name, '[-_.]+', '-', 'g'))`,
      [writtenAt],
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
}
