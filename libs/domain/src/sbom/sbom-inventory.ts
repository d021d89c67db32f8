import { PackageURL } from 'packageurl-js';
import { toPurl } from '../dependency/purl';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { VexAnalysis } from '../finding/vex-analysis';
import type { DependencyHash, DependencyScope, ParsedDependency } from '../manifest/manifest.types';

/**
 * CycloneDX's scope, which SPDX and OpenVEX do without: `required` at run time, `optional` at run
 * time, `excluded` from it (a dev dependency: tests and builds only).
 */
export type ComponentScope = 'required' | 'optional' | 'excluded';

const SCOPE_OF: Record<DependencyScope, ComponentScope> = {
  runtime: 'required',
  optional: 'optional',
  dev: 'excluded',
};
const SCOPE_RANK: Record<ComponentScope, number> = { required: 2, optional: 1, excluded: 0 };

/** One package at one version, however many manifests declare it: referred to by its purl. */
export interface InventoryComponent {
  /** The purl: its `bom-ref`, and what BOM-Links and OpenVEX products name. */
  readonly ref: string;
  readonly ecosystem: Ecosystem;
  /** The purl's namespace (npm scope, Maven group, Go module path), null when it has none. */
  readonly group: string | null;
  readonly name: string;
  readonly version: string | null;
  /** The widest of its declarations: required when any manifest needs it at run time. */
  readonly scope: ComponentScope;
  /** Declared by the project itself in at least one manifest. */
  readonly direct: boolean;
  readonly hashes: readonly DependencyHash[];
  readonly licenses: readonly string[];
  /** Refs of the components it depends on (only those in the inventory), sorted. */
  readonly dependsOn: readonly string[];
  readonly manifestPaths: readonly string[];
}

/** What is known of a vulnerability in a component, and what was decided about it. */
interface VulnerabilityFacts {
  readonly aliases: readonly string[];
  readonly summary: string | null;
  /** As RepoGuard ranks it (CRITICAL … UNKNOWN). */
  readonly severity: string;
  readonly cvssScore: number | null;
  readonly fixedVersions: readonly string[];
  /** null: nobody decided yet (in triage). */
  readonly analysis: VexAnalysis | null;
}

/** A vulnerability and the decision about it, for the components it affects. */
export interface InventoryVulnerability extends VulnerabilityFacts {
  readonly id: string;
  /** Refs of the affected components, sorted. */
  readonly affects: readonly string[];
}

/** What was scanned at one commit: the repository, its components and, for VEX, its findings. */
export interface Inventory {
  /** `urn:uuid:<scan id>`: a re-export of the same scan has the same serial number. */
  readonly serialNumber: string;
  readonly timestamp: Date;
  readonly tool: { readonly name: string; readonly version: string };
  /** The repository at its commit (the CLI: the directory it checked, no version). */
  readonly subject: { readonly ref: string; readonly name: string; readonly version: string | null };
  /** Sorted by ref. */
  readonly components: readonly InventoryComponent[];
  /** Sorted by id, then state. */
  readonly vulnerabilities: readonly InventoryVulnerability[];
}

/** A finding as an inventory needs it (a ListedFinding or the CLI's match both fit). */
export interface InventoryFinding extends VulnerabilityFacts {
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly version: string;
  readonly vulnerabilityId: string;
}

export interface InventoryInput {
  /** A UUID: the scan's id (the CLI draws one). */
  readonly documentId: string;
  readonly timestamp: Date;
  readonly tool: Inventory['tool'];
  /** `ref` defaults to a name of the subject at its version. */
  readonly subject: { readonly name: string; readonly version: string | null; readonly ref?: string };
  readonly dependencies: readonly (ParsedDependency & { readonly purl?: string })[];
  readonly findings?: readonly InventoryFinding[];
}

/**
 * The inventory of one scan, in a deterministic order: the same input gives the same document.
 * A package at one version declared in several manifests is one component; edges to packages the
 * scan did not store are left out, so every ref names a component of the inventory.
 */
export function buildInventory(input: InventoryInput): Inventory {
  const byRef = new Map<string, MutableComponent>();
  for (const d of input.dependencies) {
    const ref = d.purl ?? toPurl(d.ecosystem, d.name, d.version);
    const seen = byRef.get(ref) ?? newComponent(ref, d);
    seen.scope = widerScope(seen.scope, SCOPE_OF[d.scope]);
    seen.direct ||= d.direct;
    seen.manifestPaths.add(d.manifestPath);
    for (const h of d.hashes ?? []) seen.hashes.set(h.algorithm, h.content);
    for (const l of d.licenses ?? []) seen.licenses.add(l);
    for (const edge of d.dependsOn ?? []) seen.dependsOn.add(toPurl(d.ecosystem, edge.name, edge.version));
    byRef.set(ref, seen);
  }
  const components = [...byRef.values()]
    .map((c): InventoryComponent => ({
      ref: c.ref,
      ecosystem: c.ecosystem,
      group: c.group,
      name: c.name,
      version: c.version,
      scope: c.scope,
      direct: c.direct,
      hashes: [...c.hashes].map(([algorithm, content]) => ({ algorithm, content })).sort(byKey('algorithm')),
      licenses: [...c.licenses].sort(),
      dependsOn: [...c.dependsOn].filter((ref) => ref !== c.ref && byRef.has(ref)).sort(),
      manifestPaths: [...c.manifestPaths].sort(),
    }))
    .sort(byKey('ref'));
  return {
    serialNumber: `urn:uuid:${input.documentId.toLowerCase()}`,
    timestamp: input.timestamp,
    tool: input.tool,
    subject: {
      ref:
        input.subject.ref ??
        (input.subject.version === null
          ? input.subject.name
          : `${input.subject.name}@${input.subject.version}`),
      name: input.subject.name,
      version: input.subject.version,
    },
    components,
    vulnerabilities: vulnerabilitiesOf(input.findings ?? [], byRef),
  };
}

/** The subject's direct components: what the root of the dependency graph depends on. */
export function directRefs(inventory: Inventory): string[] {
  return inventory.components.filter((c) => c.direct).map((c) => c.ref);
}

/**
 * Findings of one vulnerability with one decision are one entry affecting all their components;
 * the same vulnerability decided differently for two components is two entries.
 */
function vulnerabilitiesOf(
  findings: readonly InventoryFinding[],
  components: ReadonlyMap<string, MutableComponent>,
): InventoryVulnerability[] {
  const groups = new Map<string, { finding: InventoryFinding; affects: Set<string>; aliases: Set<string> }>();
  for (const f of findings) {
    const ref = toPurl(f.ecosystem, f.packageName, f.version);
    if (!components.has(ref)) continue;
    const key = `${f.vulnerabilityId}\u0000${JSON.stringify(f.analysis)}`;
    const group = groups.get(key) ?? { finding: f, affects: new Set<string>(), aliases: new Set<string>() };
    group.affects.add(ref);
    for (const alias of f.aliases) if (alias !== f.vulnerabilityId) group.aliases.add(alias);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ finding: f, affects, aliases }) => ({
      id: f.vulnerabilityId,
      aliases: [...aliases].sort(),
      summary: f.summary,
      severity: f.severity,
      cvssScore: f.cvssScore,
      fixedVersions: [...f.fixedVersions],
      analysis: f.analysis,
      affects: [...affects].sort(),
    }))
    .sort(
      (a, b) =>
        compare(a.id, b.id) ||
        compare(a.analysis?.state ?? '', b.analysis?.state ?? '') ||
        compare(a.affects.join(' '), b.affects.join(' ')),
    );
}

interface MutableComponent {
  readonly ref: string;
  readonly ecosystem: Ecosystem;
  readonly group: string | null;
  readonly name: string;
  readonly version: string | null;
  scope: ComponentScope;
  direct: boolean;
  readonly hashes: Map<DependencyHash['algorithm'], string>;
  readonly licenses: Set<string>;
  readonly dependsOn: Set<string>;
  readonly manifestPaths: Set<string>;
}

function newComponent(ref: string, d: ParsedDependency): MutableComponent {
  const { group, name } = nameOf(ref, d.name);
  return {
    ref,
    ecosystem: d.ecosystem,
    group,
    name,
    version: d.version,
    scope: 'excluded',
    direct: false,
    hashes: new Map(),
    licenses: new Set(),
    dependsOn: new Set(),
    manifestPaths: new Set(),
  };
}

/** Group and name as the purl splits them (`@babel` / `core`); the stored name if it will not parse. */
function nameOf(purl: string, fallback: string): { group: string | null; name: string } {
  try {
    const parsed = PackageURL.fromString(purl);
    return { group: parsed.namespace ?? null, name: parsed.name };
  } catch {
    return { group: null, name: fallback };
  }
}

const widerScope = (a: ComponentScope, b: ComponentScope): ComponentScope =>
  SCOPE_RANK[a] >= SCOPE_RANK[b] ? a : b;

// Ordinal, not locale: the order must not depend on the machine that writes the document.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byKey<K extends string>(key: K) {
  return (a: Record<K, string>, b: Record<K, string>): number => compare(a[key], b[key]);
}
