import {
  buildInventory,
  ConflictError,
  findingsOfSnapshot,
  NotFoundError,
  type Inventory,
  type InventoryFinding,
  type ListedFinding,
  type ScanRecord,
  type Severity,
  type Stores,
  isEcosystem,
  repoDisplayName,
} from '@repoguard/domain';

/** Which scan of which repository an export is of: the latest completed one unless named. */
export interface ExportTarget {
  readonly repoId: string;
  readonly scanId?: string;
}

/** The tool the documents name as their author. */
export interface ExportTool {
  readonly name: string;
  readonly version: string;
}

// Findings are read in pages of this size: a repository may have thousands.
const FINDING_PAGE = 500;

/**
 * The inventory of the scan an export is of: its snapshot's dependencies and, when asked, the
 * findings that snapshot had with their decisions. Refuses, before reading anything else, a scan
 * that is not this repository's (SCAN_NOT_FOUND) or not completed, and a repository that has no
 * completed scan of its default branch yet (NO_COMPLETED_SCAN).
 */
export async function scanInventory(
  stores: Stores,
  target: ExportTarget,
  tool: ExportTool,
  withFindings: boolean,
): Promise<Inventory> {
  const repo = await stores.repositories.get(target.repoId);
  if (!repo) throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${target.repoId}`);
  const scan = await exportedScan(stores, target, repo.defaultBranch);
  const dependencies = await stores.snapshots.dependencies(scan.snapshotId);
  const findings = withFindings
    ? findingsOfSnapshot(
        dependencies,
        await stores.snapshots.matches(scan.snapshotId),
        await allFindings(stores, repo.id),
      )
    : [];
  return buildInventory({
    documentId: scan.id,
    timestamp: scan.completedAt,
    tool,
    subject: { name: repoDisplayName(repo), version: scan.commitSha },
    dependencies,
    findings: findings.flatMap(inventoryFinding),
  });
}

interface ExportedScan {
  readonly id: string;
  readonly snapshotId: string;
  readonly commitSha: string;
  readonly completedAt: Date;
}

async function exportedScan(
  stores: Stores,
  target: ExportTarget,
  defaultBranch: string,
): Promise<ExportedScan> {
  if (target.scanId !== undefined) {
    const scan = await stores.scanHistory.get(target.scanId);
    if (!scan || scan.repoId !== target.repoId)
      throw new NotFoundError('SCAN_NOT_FOUND', `No scan with id ${target.scanId} in this repository`);
    const completed = completedScan(scan);
    if (!completed)
      throw new ConflictError(
        'SCAN_NOT_COMPLETED',
        `Scan ${scan.id} is ${scan.status}: only a completed scan has an inventory to export`,
      );
    return completed;
  }
  const latest = await stores.scans.latestCompletedSnapshot(target.repoId, { defaultBranch });
  const scan = latest?.scanId ? await stores.scanHistory.get(latest.scanId) : null;
  const completed = scan ? completedScan(scan) : null;
  if (!completed)
    throw new ConflictError(
      'NO_COMPLETED_SCAN',
      `Repository ${target.repoId} has no completed scan of its default branch to export yet: scan it first`,
    );
  return completed;
}

function completedScan(scan: ScanRecord): ExportedScan | null {
  if (scan.status !== 'COMPLETED' || !scan.snapshotId || !scan.commitSha || !scan.completedAt) return null;
  return {
    id: scan.id,
    snapshotId: scan.snapshotId,
    commitSha: scan.commitSha,
    completedAt: scan.completedAt,
  };
}

async function allFindings(stores: Stores, repoId: string): Promise<ListedFinding[]> {
  const all: ListedFinding[] = [];
  for (let offset = 0; ; offset += FINDING_PAGE) {
    const page = await stores.findingQueries.page(
      { repoId, sort: { key: 'first_seen', direction: 'asc' } },
      { limit: FINDING_PAGE, offset },
    );
    all.push(...page.items);
    if (page.items.length < FINDING_PAGE) return all;
  }
}

function inventoryFinding(f: ListedFinding): InventoryFinding[] {
  if (!isEcosystem(f.ecosystem)) return [];
  return [
    {
      ecosystem: f.ecosystem,
      packageName: f.packageName,
      version: f.version,
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      summary: f.summary,
      severity: f.severity as Severity,
      cvssScore: f.cvssScore,
      fixedVersions: f.fixedVersions,
      analysis: f.analysis,
    },
  ];
}
