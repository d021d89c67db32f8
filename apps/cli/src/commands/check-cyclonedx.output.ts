import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { buildInventory, type CheckReport, type InventoryFinding } from '@repoguard/domain';
import { CycloneDxSbomWriter } from '@repoguard/infrastructure/local-check';
import cliPackage from '../../package.json';

export interface CycloneDxContext {
  /** The directory the check ran in: the document's subject, by its name. */
  readonly cwd: string;
  readonly now: Date;
}

/**
 * The check as a CycloneDX 1.6 SBOM, written as the server writes its exports: every dependency of
 * every manifest read, and the findings as vulnerabilities (in triage: nobody decided yet) affecting
 * components by bom-ref. A fresh serial number each run: a working tree is not one scan's.
 */
export function formatCycloneDx(report: CheckReport, context: CycloneDxContext): string {
  const findings: InventoryFinding[] = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ecosystem: f.ecosystem,
      packageName: f.name,
      version: f.version,
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      summary: f.summary,
      severity: f.severity.severity,
      cvssScore: f.severity.score,
      fixedVersions: f.fixedVersions,
      analysis: null,
    })),
  );
  return new CycloneDxSbomWriter().write(
    buildInventory({
      documentId: randomUUID(),
      timestamp: context.now,
      tool: { name: 'RepoGuard', version: cliPackage.version },
      subject: { name: path.basename(path.resolve(context.cwd)) || 'checked', version: null },
      dependencies: report.results.flatMap((r) => r.dependencies),
      findings,
    }),
  );
}
