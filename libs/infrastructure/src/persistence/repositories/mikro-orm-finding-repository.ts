import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  isEcosystem,
  isSeverity,
  NO_ADVISORY_DIAGNOSTICS,
  type CurrentFinding,
  type DesiredFinding,
  type FindingRepository,
  type FindingSyncResult,
  type UnreadManifests,
} from '@repoguard/domain';
import { FindingEntity } from '../entities';
import { writeForConnectedRepo } from './connected-repo-guard';
import { holdScanOutcome, newerScanThan } from './scan-outcome-lock';

export class MikroOrmFindingRepository implements FindingRepository {
  constructor(private readonly em: EntityManager) {}

  async sync(input: {
    orgId: string;
    repoId: string;
    snapshotId: string;
    scanId?: string;
    findings: readonly DesiredFinding[];
    withdrawnAdvisories?: readonly string[];
    unreadManifests?: UnreadManifests;
    now: Date;
  }): Promise<FindingSyncResult> {
    return writeForConnectedRepo(this.em.fork(), input.repoId, async (trx) => {
      // A scan overtaken by a newer one (cancelled, or a stale attempt of a timed-out step) would
      // mark the newer snapshot's findings fixed: checked and written under one lock.
      await holdScanOutcome(trx, input.repoId);
      if (input.scanId) {
        const newer = await newerScanThan(trx, input.scanId);
        if (newer) return { opened: 0, stillOpen: 0, fixed: 0, withdrawn: 0, supersededBy: newer };
      }
      let opened = 0;
      let stillOpen = 0;
      const seen: string[] = [];
      const desired = uniqueFindings(input.findings);
      for (let i = 0; i < desired.length; i += 500) {
        const rows = desired.slice(i, i + 500).map((f) => ({
          id: randomUUID(),
          org_id: input.orgId,
          repo_id: input.repoId,
          ecosystem: f.ecosystem,
          package_name: f.packageName,
          version: f.version,
          manifest_path: f.manifestPath,
          vulnerability_id: f.vulnerabilityId,
          aliases: JSON.stringify(f.aliases),
          severity: f.severity,
          cvss_score: f.cvssScore,
          fixed_versions: JSON.stringify(f.fixedVersions),
          advisory_diagnostics: JSON.stringify(f.advisoryDiagnostics ?? NO_ADVISORY_DIAGNOSTICS),
          status: 'open',
          last_snapshot_id: input.snapshotId,
          first_seen: input.now,
          last_seen: input.now,
        }));
        // Unique on the finding's identity: a retry or a re-scan updates instead of duplicating.
        // A finding that was closed and comes back takes its triage decision back while it holds
        // (reappearedFindingStatus); an ignore past its expiry opens (effectiveFindingStatus). The
        // sync's time is excluded.last_seen: no bindings, the insert's literals may hold a '?'.
        const result = await trx.raw(
          `${trx('findings').insert(rows).toQuery()}
           on conflict on constraint findings_identity_unique do update set
             aliases = excluded.aliases, severity = excluded.severity, cvss_score = excluded.cvss_score,
             fixed_versions = excluded.fixed_versions,
             advisory_diagnostics = excluded.advisory_diagnostics, last_snapshot_id = excluded.last_snapshot_id,
             last_seen = excluded.last_seen, fixed_at = null,
             status = case
               when findings.status in ('fixed', 'withdrawn') then
                 case when findings.triage_status = 'ignored'
                   and (findings.triage_expires_at is null or findings.triage_expires_at > excluded.last_seen)
                 then 'ignored' else 'open' end
               when findings.status = 'ignored' and findings.triage_expires_at <= excluded.last_seen then 'open'
               else findings.status end
           returning id, (xmax = 0) as inserted`,
        );
        for (const row of result.rows as { id: string; inserted: boolean }[]) {
          seen.push(row.id);
          if (row.inserted) opened++;
          else stillOpen++;
        }
      }
      // What the snapshot no longer has was fixed (upgraded or removed), or its advisory withdrawn.
      const closing = () =>
        trx('findings')
          .where({ repo_id: input.repoId })
          .whereIn('status', ['open', 'ignored'])
          .modify((query) => {
            if (seen.length > 0) query.whereNotIn('id', seen);
          });
      const withdrawnIds = [...new Set(input.withdrawnAdvisories ?? [])];
      const withdrawn =
        withdrawnIds.length > 0
          ? await closing()
              .whereIn('vulnerability_id', withdrawnIds)
              .update({ status: 'withdrawn', fixed_at: input.now })
          : 0;
      // Not seen in a manifest this snapshot could not read is not gone: closing it would turn a
      // broken lock file into a pass.
      const unread = input.unreadManifests ?? { all: false, paths: [] };
      const fixed = unread.all
        ? 0
        : await closing()
            .modify((query) => {
              if (unread.paths.length > 0) query.whereNotIn('manifest_path', [...unread.paths]);
            })
            .update({ status: 'fixed', fixed_at: input.now });
      return { opened, stillOpen, fixed, withdrawn };
    });
  }

  current(repoId: string): Promise<CurrentFinding[]> {
    return currentFindings(this.em.fork(), repoId);
  }
}

/**
 * The repo's open and ignored findings, read on `em` as it is: in its transaction, when it has
 * one, so a re-evaluation sees the triage decision it is part of.
 */
export async function currentFindings(em: EntityManager, repoId: string): Promise<CurrentFinding[]> {
  const rows = await em.find(
    FindingEntity,
    { repoId, status: { $in: ['open', 'ignored'] } },
    { refresh: true },
  );
  return rows.flatMap((r) =>
    isEcosystem(r.ecosystem) && isSeverity(r.severity) && (r.status === 'open' || r.status === 'ignored')
      ? [
          {
            ecosystem: r.ecosystem,
            packageName: r.packageName,
            version: r.version,
            manifestPath: r.manifestPath,
            vulnerabilityId: r.vulnerabilityId,
            aliases: r.aliases,
            severity: r.severity,
            cvssScore: r.cvssScore,
            fixedVersions: r.fixedVersions,
            status: r.status,
            triageExpiresAt: r.triageExpiresAt,
          },
        ]
      : [],
  );
}

/**
 * One desired finding per identity (the columns of findings_identity_unique), the first kept: an
 * upsert that meets the same row twice fails outright, which would fail every scan of the repo.
 */
function uniqueFindings(findings: readonly DesiredFinding[]): DesiredFinding[] {
  const unique = new Map<string, DesiredFinding>();
  for (const f of findings) {
    const identity = [f.ecosystem, f.packageName, f.version, f.manifestPath, f.vulnerabilityId].join(
      '\u0000',
    );
    if (!unique.has(identity)) unique.set(identity, f);
  }
  return [...unique.values()];
}
