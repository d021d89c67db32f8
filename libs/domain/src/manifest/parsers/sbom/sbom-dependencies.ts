import type {
  DependencyRef,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { occurrenceLines } from '../occurrence-lines';
import { packageOfPurl, readPurl, type PurlPackage } from './purl-dependency';
import type { SbomComponent, SbomDocument, SbomRead } from './sbom-document';

/** Names a summary diagnostic shows before "and N more". */
const NAMES_SHOWN = 10;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type Resolved = {
  readonly ecosystem: ParsedDependency['ecosystem'];
  readonly name: string;
  readonly version: string | null;
};

/**
 * The document's components as dependencies: each with a purl of an ecosystem RepoGuard has, by
 * the name a lock file of that ecosystem gives it. What the document describes (its root) is not a
 * dependency of itself. A component without a purl, with one of another package type, or with one
 * that is not a purl is counted in one diagnostic per reason, naming the first few.
 * `lineOf(purl)`: the line of that purl's next occurrence, where the format lets it be found.
 */
export function dependenciesOfSbom(
  path: string,
  read: SbomRead,
  lineOf: (purl: string) => number | undefined,
): ManifestParseResult {
  if ('refused' in read) return { dependencies: [], diagnostics: [read.refused] };
  const { document } = read;
  const roots = new Set(document.rootRefs);
  const direct = new Set(document.rootRefs.flatMap((ref) => document.graph?.get(ref) ?? []));
  const resolved = new Map<SbomComponent, Resolved>();
  const byRef = new Map<string, Resolved>();
  const withoutPurl: string[] = [];
  const unreadable: string[] = [];
  const otherTypes = new Map<string, number>();
  const unpinned: string[] = [];
  // Images list one package in many places: each purl is read once.
  const packages = new Map<string, PurlPackage | undefined>();
  const packageOf = (text: string, spelledAs: string | undefined) => {
    const key = spelledAs === undefined ? text : `${text}\u0000${spelledAs}`;
    if (packages.has(key)) return packages.get(key);
    const purl = readPurl(text);
    const pkg = purl && packageOfPurl(purl, spelledAs);
    packages.set(key, pkg);
    return pkg;
  };
  for (const component of document.components) {
    if (component.ref !== undefined && roots.has(component.ref)) continue;
    if (component.purl === undefined) {
      withoutPurl.push(component.name ?? component.ref ?? '(unnamed)');
      continue;
    }
    const pkg = packageOf(component.purl, component.name);
    if (pkg === undefined) {
      unreadable.push(component.purl);
      continue;
    }
    if ('unsupportedType' in pkg) {
      otherTypes.set(pkg.unsupportedType, (otherTypes.get(pkg.unsupportedType) ?? 0) + 1);
      continue;
    }
    const version = pkg.version ?? component.version ?? null;
    if (version === null) unpinned.push(pkg.name);
    const entry = { ecosystem: pkg.ecosystem, name: pkg.name, version };
    resolved.set(component, entry);
    if (component.ref !== undefined && !byRef.has(component.ref)) byRef.set(component.ref, entry);
  }

  const dependencies: ParsedDependency[] = [];
  for (const component of document.components) {
    const entry = resolved.get(component);
    if (!entry) continue;
    const line = component.purl === undefined ? undefined : lineOf(component.purl);
    const refs = component.ref === undefined ? undefined : dependsOnOf(document, component.ref, entry, byRef);
    // Built field by field: spreading optional parts costs several times more per component.
    const dependency: Mutable<ParsedDependency> = {
      ecosystem: entry.ecosystem,
      name: entry.name,
      version: entry.version,
      scope:
        component.scope ??
        (component.ref ? document.graphScopes?.get(component.ref) : undefined) ??
        'runtime',
      direct: component.ref !== undefined && direct.has(component.ref),
      manifestPath: path,
    };
    if (line !== undefined) dependency.line = line;
    if (component.hashes.length > 0) dependency.hashes = component.hashes;
    if (component.licenses.length > 0) dependency.licenses = component.licenses;
    if (refs !== undefined) dependency.dependsOn = refs;
    dependencies.push(dependency);
  }

  const diagnostics: ManifestDiagnostic[] = [...document.diagnostics];
  if (withoutPurl.length > 0)
    diagnostics.push({
      severity: 'warning',
      code: 'NO_PURL',
      message: `${counted(withoutPurl.length)} no package URL (purl), so RepoGuard cannot tell their ecosystem; not checked: ${listed(withoutPurl)}`,
    });
  if (otherTypes.size > 0) {
    const total = [...otherTypes.values()].reduce((a, b) => a + b, 0);
    const types = [...otherTypes].map(([type, count]) => `${type} (${count})`);
    diagnostics.push({
      severity: 'warning',
      code: 'UNSUPPORTED_ECOSYSTEM',
      message: `${counted(total)} a package type RepoGuard has no advisories for; not checked: ${listed(types)}`,
    });
  }
  if (unreadable.length > 0)
    diagnostics.push({
      severity: 'error',
      code: 'INVALID_PURL',
      message: `${counted(unreadable.length)} a purl that is not a package URL; not checked: ${listed(unreadable.map((p) => p.slice(0, 100)))}`,
    });
  if (unpinned.length > 0)
    diagnostics.push({
      severity: 'info',
      code: 'UNPINNED',
      message: `${counted(unpinned.length)} no version; never matched: ${listed(unpinned)}`,
    });
  return { dependencies, diagnostics };
}

/**
 * What the graph says this component depends on, among the document's dependencies of its own
 * ecosystem with a version; undefined when the graph has no entry for it (it says nothing).
 */
function dependsOnOf(
  document: SbomDocument,
  ref: string,
  from: Resolved,
  byRef: ReadonlyMap<string, Resolved>,
): DependencyRef[] | undefined {
  const targets = document.graph?.get(ref);
  if (!targets) return undefined;
  const seen = new Set<string>();
  const refs: DependencyRef[] = [];
  for (const target of targets) {
    const to = byRef.get(target);
    if (!to || to.ecosystem !== from.ecosystem || to.version === null) continue;
    const key = `${to.name}@${to.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ name: to.name, version: to.version });
  }
  return refs;
}

const counted = (n: number) => (n === 1 ? '1 component has' : `${n} components have`);

function listed(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

/**
 * A parser of one SBOM format: `read` gives the document, and each dependency the line of its purl
 * where `purlPattern` (the purl in its first group, read by `decode`) finds it.
 */
export function sbomParser(
  id: string,
  read: (path: string, text: string) => SbomRead,
  purlPattern: RegExp,
  decode: (raw: string) => string | undefined,
): ManifestParser {
  return {
    id,
    ecosystem: null,
    parse(path, text) {
      if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
      const normalized = normalizeText(text);
      return dependenciesOfSbom(
        path,
        read(path, normalized),
        occurrenceLines(normalized, purlPattern, decode),
      );
    },
  };
}
