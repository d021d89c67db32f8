import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  findingChanges,
  isEcosystem,
  isSeverity,
  NO_ADVISORY_DIAGNOSTICS,
  type CurrentFinding,
  type DesiredFinding,
  type FindingRepository,
  type FindingStatus,
  type FindingSyncResult,
  type NewNotificationEvent,
  type NotifiedFinding,
  type Severity,
  type UnreadManifests,
} from '@repoguard/domain';
import { FindingEntity } from '../entities';
import { repoNameIn, writeNotificationEvents } from '../stores/notification-event-writer';
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
      // Events are judged against the rows as they were before this sync, read under the lock that
      // every writer of the repository's findings holds: a retried sync finds its own first attempt
      // and tells of nothing twice.
      const events: EventOf[] = [];
      const accepted = await acceptedRisks(trx, input.repoId, input.now);
      const desired = uniqueFindings(input.findings);
      for (let i = 0; i < desired.length; i += 500) {
        const chunk = desired.slice(i, i + 500);
        const before = await storedRows(trx, input.repoId, chunk);
        const rows = chunk.map((f) => ({
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
          summary: f.summary ?? null,
          last_snapshot_id: input.snapshotId,
          first_seen: input.now,
          last_seen: input.now,
          // Only a new row takes these (an update leaves a finding's triage as it is).
          ...bornTriage(accepted.get(riskKey(f.vulnerabilityId, f.ecosystem, f.packageName)), input.now),
        }));
        // Unique on the finding's identity: a retry or a re-scan updates instead of duplicating.
        // A finding that was closed and comes back takes its triage decision back while it holds,
        // unless the decision said it was resolved: a regression opens it, the decision dropped
        // (reappearedFindingStatus); an ignore past its expiry opens (effectiveFindingStatus). The
        // sync's time is excluded.last_seen: no bindings, the insert's literals may hold a '?'.
        const result = await trx.raw(
          `${trx('findings').insert(rows).toQuery()}
           on conflict on constraint findings_identity_unique do update set
             aliases = excluded.aliases, severity = excluded.severity, cvss_score = excluded.cvss_score,
             fixed_versions = excluded.fixed_versions,
             advisory_diagnostics = excluded.advisory_diagnostics, last_snapshot_id = excluded.last_snapshot_id,
             summary = coalesce(excluded.summary, findings.summary),
             last_seen = excluded.last_seen, fixed_at = null,
             status = case
               when findings.status in ('fixed', 'withdrawn') then
                 case when findings.triage_status = 'ignored'
                   and findings.triage_state is distinct from 'resolved'
                   and (findings.triage_expires_at is null or findings.triage_expires_at > excluded.last_seen)
                 then 'ignored' else 'open' end
               when findings.status = 'ignored' and findings.triage_expires_at <= excluded.last_seen then 'open'
               else findings.status end,
             ${CLEAR_REGRESSED_RESOLVED}
           returning ${FINDING_COLUMNS.join(', ')}, (xmax = 0) as inserted`,
        );
        for (const row of result.rows as (FindingRow & { inserted: boolean })[]) {
          seen.push(row.id);
          if (row.inserted) opened++;
          else stillOpen++;
          events.push(...eventsOfUpsert(before.get(identityOf(row)), row));
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
      const withdrawnRows =
        withdrawnIds.length > 0
          ? ((await closing()
              .whereIn('vulnerability_id', withdrawnIds)
              .update({ status: 'withdrawn', fixed_at: input.now }, FINDING_COLUMNS)) as FindingRow[])
          : [];
      // Not seen in a manifest this snapshot could not read is not gone: closing it would turn a
      // broken lock file into a pass.
      const unread = input.unreadManifests ?? { all: false, paths: [] };
      const fixedRows = unread.all
        ? []
        : ((await closing()
            .modify((query) => {
              if (unread.paths.length > 0) query.whereNotIn('manifest_path', [...unread.paths]);
            })
            .update({ status: 'fixed', fixed_at: input.now }, FINDING_COLUMNS)) as FindingRow[]);
      for (const row of withdrawnRows)
        events.push({ type: 'finding.resolved', row, payload: { reason: 'advisory_withdrawn' } });
      for (const row of fixedRows)
        events.push({ type: 'finding.resolved', row, payload: { reason: 'dependency_changed' } });
      if (events.length > 0) {
        const repoName = await repoNameIn(trx, input.repoId);
        const groupKey = input.scanId ?? `sync:${randomUUID()}`;
        await writeNotificationEvents(
          trx,
          events.map((e) => notificationEventOf(e, { ...input, repoName, groupKey })),
        );
      }
      return { opened, stillOpen, fixed: fixedRows.length, withdrawn: withdrawnRows.length };
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
 * A closed finding decided resolved that the sync sees again: the decision was wrong, so it is
 * dropped as a person's reopen drops it (who decided, and when, stay).
 */
const REGRESSED_RESOLVED = `findings.status in ('fixed', 'withdrawn') and findings.triage_state = 'resolved'`;
const CLEAR_REGRESSED_RESOLVED = Object.entries({
  triage_status: `'open'`,
  triage_state: 'null',
  triage_justification: 'null',
  triage_responses: 'null',
  triage_reason: 'null',
  triage_expires_at: 'null',
})
  .map(
    ([column, value]) =>
      `${column} = case when ${REGRESSED_RESOLVED} then ${value} else findings.${column} end`,
  )
  .join(', ');

/** The columns of a finding an event needs, as the sync reads and returns them. */
const FINDING_COLUMNS = [
  'id',
  'ecosystem',
  'package_name',
  'version',
  'manifest_path',
  'vulnerability_id',
  'aliases',
  'severity',
  'fixed_versions',
  'summary',
  'status',
  'triage_reason',
  'triage_expires_at',
  'triaged_by_type',
  'triaged_by_id',
];

interface FindingRow {
  id: string;
  ecosystem: string;
  package_name: string;
  version: string;
  manifest_path: string;
  vulnerability_id: string;
  aliases: string[];
  severity: string;
  fixed_versions: string[];
  summary: string | null;
  status: FindingStatus;
  triage_reason: string | null;
  // MikroORM's pg connection hands timestamps back to plain queries as text.
  triage_expires_at: string | Date | null;
  triaged_by_type: string | null;
  triaged_by_id: string | null;
}

const identityOf = (f: {
  ecosystem: string;
  package_name: string;
  version: string;
  manifest_path: string;
  vulnerability_id: string;
}) => [f.ecosystem, f.package_name, f.version, f.manifest_path, f.vulnerability_id].join('\u0000');

/** The stored rows of these desired findings (by identity), as they are before the sync writes. */
async function storedRows(
  trx: Knex.Transaction,
  repoId: string,
  findings: readonly DesiredFinding[],
): Promise<Map<string, FindingRow>> {
  if (findings.length === 0) return new Map();
  const rows = (await trx('findings')
    .where({ repo_id: repoId })
    .whereIn(
      ['ecosystem', 'package_name', 'version', 'manifest_path', 'vulnerability_id'],
      findings.map((f) => [f.ecosystem, f.packageName, f.version, f.manifestPath, f.vulnerabilityId]),
    )
    .select(FINDING_COLUMNS)) as FindingRow[];
  return new Map(rows.map((r) => [identityOf(r), r]));
}

/** An event the sync found, before it is addressed (org, repository, scan). */
type EventOf =
  | { type: 'finding.new'; row: FindingRow }
  | { type: 'finding.changed'; row: FindingRow; changes: NonNullable<ReturnType<typeof findingChanges>> }
  | {
      type: 'finding.resolved';
      row: FindingRow;
      payload: { reason: 'dependency_changed' | 'advisory_withdrawn' };
    }
  | { type: 'triage.expired'; row: FindingRow; before: FindingRow };

/**
 * What an upserted row tells: new when inserted or back open after it was closed; changed when
 * it was open or ignored and its advisory says something else now; triage.expired when the sync
 * opened an ignore past its expiry (the one other place besides the re-judging that does).
 */
function eventsOfUpsert(before: FindingRow | undefined, after: FindingRow): EventOf[] {
  if (!before || before.status === 'fixed' || before.status === 'withdrawn') {
    return after.status === 'open' ? [{ type: 'finding.new', row: after }] : [];
  }
  const events: EventOf[] = [];
  const changes = findingChanges(factsOf(before), factsOf(after));
  if (changes) events.push({ type: 'finding.changed', row: after, changes });
  if (before.status === 'ignored' && after.status === 'open') {
    events.push({ type: 'triage.expired', row: after, before });
  }
  return events;
}

const factsOf = (row: FindingRow) => ({
  severity: row.severity as Severity,
  fixedVersions: row.fixed_versions,
  summary: row.summary,
});

interface AcceptedRisk {
  readonly reason: string;
  readonly accepted_by: string;
  readonly expires_at: Date;
}

const riskKey = (vulnerabilityId: string, ecosystem: string, packageName: string) =>
  JSON.stringify([vulnerabilityId, ecosystem, packageName]);

/** The repository's risk acceptances in force (a pull request check's "Accept risk"), by finding key. */
async function acceptedRisks(trx: Knex, repoId: string, now: Date): Promise<Map<string, AcceptedRisk>> {
  const rows = (await trx('risk_acceptances')
    .where({ repo_id: repoId })
    .where('expires_at', '>', now)
    .select(
      'vulnerability_id',
      'ecosystem',
      'package_name',
      'reason',
      'accepted_by',
      'expires_at',
    )) as (AcceptedRisk & {
    vulnerability_id: string;
    ecosystem: string;
    package_name: string;
  })[];
  return new Map(rows.map((r) => [riskKey(r.vulnerability_id, r.ecosystem, r.package_name), r]));
}

/**
 * A finding whose risk was accepted before it reached the default branch is born ignored until the
 * acceptance's expiry, decided by whoever accepted it (`github:<login>` is the webhook's, `user:<id>`
 * a user's); the expiry reopens it like any ignore's (verdictLapsesAt, the sweep, the next sync).
 */
function bornTriage(risk: AcceptedRisk | undefined, now: Date) {
  if (!risk) return { status: 'open' };
  const [kind, ...rest] = risk.accepted_by.split(':');
  const user = kind === 'user' && rest.length > 0;
  return {
    status: 'ignored',
    triage_status: 'ignored',
    // Today's ignore in VEX terms (vexAnalysisOfIgnore): not affected, for the reason given.
    triage_state: 'not_affected',
    triage_responses: '[]',
    triage_reason: risk.reason,
    triage_expires_at: risk.expires_at,
    triaged_by_type: user ? 'user' : 'webhook',
    triaged_by_id: user ? rest.join(':') : risk.accepted_by,
    triaged_at: now,
  };
}

/** The finding as an event names it. */
export function notifiedFinding(
  row: Pick<
    FindingRow,
    | 'id'
    | 'vulnerability_id'
    | 'aliases'
    | 'severity'
    | 'ecosystem'
    | 'package_name'
    | 'version'
    | 'manifest_path'
    | 'fixed_versions'
    | 'summary'
  >,
): NotifiedFinding {
  return {
    finding_id: row.id,
    vulnerability_id: row.vulnerability_id,
    aliases: row.aliases,
    severity: isSeverity(row.severity) ? row.severity : 'UNKNOWN',
    ecosystem: row.ecosystem,
    package_name: row.package_name,
    version: row.version,
    manifest_path: row.manifest_path,
    fixed_versions: row.fixed_versions,
    summary: row.summary,
  };
}

export const decidedBy = (row: { triaged_by_type: string | null; triaged_by_id: string | null }) =>
  row.triaged_by_type === null
    ? null
    : row.triaged_by_id === null
      ? row.triaged_by_type
      : `${row.triaged_by_type}:${row.triaged_by_id}`;

function notificationEventOf(
  event: EventOf,
  at: { orgId: string; repoId: string; scanId?: string; repoName: string | null; groupKey: string },
): NewNotificationEvent {
  const finding = notifiedFinding(event.row);
  const common = {
    org_id: at.orgId,
    repo_id: at.repoId,
    repo_name: at.repoName,
    severity: finding.severity,
    group_key: at.groupKey,
    scan_id: at.scanId ?? null,
  };
  switch (event.type) {
    case 'finding.new':
      return { ...common, type: 'finding.new', payload: { finding } };
    case 'finding.changed':
      return { ...common, type: 'finding.changed', payload: { finding, changes: event.changes } };
    case 'finding.resolved':
      return { ...common, type: 'finding.resolved', payload: { finding, reason: event.payload.reason } };
    case 'triage.expired': {
      const expiredAt = event.before.triage_expires_at;
      return {
        ...common,
        type: 'triage.expired',
        payload: {
          finding,
          reason: event.before.triage_reason,
          decided_by: decidedBy(event.before),
          expired_at: expiredAt === null ? '' : new Date(expiredAt).toISOString(),
        },
      };
    }
  }
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
