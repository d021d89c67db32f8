// By entry point, not the package's index: that also loads its validators, which pull in ajv (the
// CLI bundles this, and must carry nothing it never runs).
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { Inventory, InventoryComponent, InventoryVulnerability } from '@repoguard/domain';
import { licenceChoiceOf } from './licence-choice';

/** The serial number's UUID, as BOM-Links name the document. */
export const serialUuid = (serialNumber: string): string => serialNumber.replace(/^urn:uuid:/, '');

/** The BOM's head: serial number, the tool, when, and the repository at its commit. */
export function bomOf(inventory: Inventory, serialNumber: string): Models.Bom {
  const tool = new Models.Component(Enums.ComponentType.Application, inventory.tool.name, {
    version: inventory.tool.version,
  });
  const subject = new Models.Component(Enums.ComponentType.Application, inventory.subject.name, {
    bomRef: inventory.subject.ref,
    ...(inventory.subject.version !== null ? { version: inventory.subject.version } : {}),
  });
  return new Models.Bom({
    serialNumber,
    version: 1,
    metadata: new Models.Metadata({
      timestamp: inventory.timestamp,
      tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
      component: subject,
    }),
  });
}

/** The components and their graph, the subject depending on the direct ones. */
export function addComponents(bom: Models.Bom, inventory: Inventory): Map<string, Models.Component> {
  const byRef = new Map(inventory.components.map((c) => [c.ref, componentOf(c)]));
  for (const c of inventory.components) {
    const component = byRef.get(c.ref)!;
    bom.components.add(component);
    for (const ref of c.dependsOn) component.dependencies.add(byRef.get(ref)!.bomRef);
    if (c.direct) bom.metadata.component!.dependencies.add(component.bomRef);
  }
  return byRef;
}

function componentOf(c: InventoryComponent): Models.Component {
  const hashes = new Models.HashDictionary(
    c.hashes.map((h) => [h.algorithm as Enums.HashAlgorithm, h.content] as const),
  );
  return new Models.Component(Enums.ComponentType.Library, c.name, {
    bomRef: c.ref,
    purl: c.ref,
    ...(c.group !== null ? { group: c.group } : {}),
    ...(c.version !== null ? { version: c.version } : {}),
    scope: c.scope as Enums.ComponentScope,
    hashes,
    licenses: new Models.LicenseRepository(licencesOf(c.licenses)),
  });
}

/**
 * One expression alone is written as an expression; otherwise each licence as an SPDX id or a
 * name (CycloneDX takes an expression only on its own).
 */
function licencesOf(licences: readonly string[]): Models.License[] {
  const choices = licences.map(licenceChoiceOf);
  if (choices.length === 1 && choices[0]!.kind === 'expression')
    return [new Models.LicenseExpression(choices[0]!.expression)];
  return choices.map((c) =>
    c.kind === 'id'
      ? new Models.SpdxLicense(c.id)
      : new Models.NamedLicense(c.kind === 'name' ? c.name : c.expression),
  );
}

const osvSource = (id: string) =>
  new Models.Vulnerability.Source({
    name: 'OSV',
    url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
  });

const SEVERITY: Record<string, Enums.Vulnerability.Severity> = {
  CRITICAL: Enums.Vulnerability.Severity.Critical,
  HIGH: Enums.Vulnerability.Severity.High,
  MEDIUM: Enums.Vulnerability.Severity.Medium,
  LOW: Enums.Vulnerability.Severity.Low,
};

/** A vulnerability with its rating and analysis; `affects` says how each component is named. */
export function vulnerabilityOf(
  v: InventoryVulnerability,
  bomRef: string,
  affects: readonly Models.Vulnerability.Affect['ref'][],
): Models.Vulnerability.Vulnerability {
  // Which CVSS version the score is from is not kept: the method is `other`.
  const rating = new Models.Vulnerability.Rating({
    severity: SEVERITY[v.severity] ?? Enums.Vulnerability.Severity.Unknown,
    ...(v.cvssScore !== null ? { score: v.cvssScore, method: Enums.Vulnerability.RatingMethod.Other } : {}),
  });
  const analysis = v.analysis;
  return new Models.Vulnerability.Vulnerability({
    bomRef,
    id: v.id,
    source: osvSource(v.id),
    references: new Models.Vulnerability.ReferenceRepository(
      v.aliases.map((alias) => new Models.Vulnerability.Reference(alias, osvSource(alias))),
    ),
    ratings: new Models.Vulnerability.RatingRepository([rating]),
    ...(v.summary ? { description: v.summary } : {}),
    ...(v.fixedVersions.length > 0 ? { recommendation: `Upgrade to ${v.fixedVersions.join(' or ')}` } : {}),
    analysis: new Models.Vulnerability.Analysis({
      state: (analysis?.state ?? 'in_triage') as Enums.Vulnerability.AnalysisState,
      ...(analysis?.justification
        ? { justification: analysis.justification as Enums.Vulnerability.AnalysisJustification }
        : {}),
      response: new Enums.Vulnerability.AnalysisResponseRepository(
        (analysis?.responses ?? []) as Enums.Vulnerability.AnalysisResponse[],
      ),
      ...(analysis?.detail ? { detail: analysis.detail } : {}),
    }),
    affects: new Models.Vulnerability.AffectRepository(
      affects.map((ref) => new Models.Vulnerability.Affect(ref)),
    ),
  });
}

/**
 * Each vulnerability's bom-ref: its id, and which entry of that id it is (one advisory decided
 * two ways is two entries). Without one the library draws a random ref, and the text would change.
 */
export function vulnerabilityRefs(vulnerabilities: readonly InventoryVulnerability[]): string[] {
  const seen = new Map<string, number>();
  return vulnerabilities.map((v) => {
    const n = (seen.get(v.id) ?? 0) + 1;
    seen.set(v.id, n);
    return n === 1 ? v.id : `${v.id}#${n}`;
  });
}

const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));

/** Lists sorted, so the same BOM is the same text. */
export function serialize(bom: Models.Bom): string {
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}
