import { isObject } from '../../../shared/is-object';
import { normalizePackageName } from '../../../ecosystem/package-name';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  DependencyRef,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { withMetadata } from '../../dependency-metadata';
import { atLine } from './at-line';
import { singleArtifactHash } from './lock-artifact-hash';
import { forEachLockPackage, registryVersion } from './lock-package-entries';
import { redactUrl } from './redact-url';
import { firstLineMatching, nonEmptyString, parseTomlDocument } from './toml-document';

const KNOWN_LOCK_VERSION = 1;

interface UvPackage {
  readonly index: number;
  readonly name: string;
  readonly version: string | undefined;
  readonly entry: Record<string, unknown>;
  readonly line: number | undefined;
  /** The project or a workspace member: the code being scanned, not a dependency of it. */
  readonly project: boolean;
}

interface Edge {
  readonly name: string;
  readonly version?: string;
  readonly extras: readonly string[];
}

/**
 * uv.lock (version 1). The projects (source `editable`/`virtual` at "." or a workspace member) are
 * not dependencies; what they list under `dependencies`, `optional-dependencies` and
 * `dev-dependencies` is direct. Scope follows the lock's graph from those roots: reachable from
 * `dependencies` → runtime, else from extras → optional, else from dependency groups → dev;
 * packages no root reaches stay runtime.
 */
export const uvLockParser: ManifestParser = {
  id: 'uv-lock',
  ecosystem: 'PyPI',
  parse(path: string, text: string): ManifestParseResult {
    const document = parseTomlDocument(path, text);
    if (!document.ok) return { dependencies: [], diagnostics: [document.diagnostic] };
    const diagnostics: ManifestDiagnostic[] = [];
    const top = document.table;

    if (top.version !== undefined && top.version !== KNOWN_LOCK_VERSION) {
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `uv.lock version ${written(top.version)} is not the version ${KNOWN_LOCK_VERSION} RepoGuard knows; read as version ${KNOWN_LOCK_VERSION}`,
        ...atLine(firstLineMatching(text, /^version\s*=/)),
      });
    }

    const members = workspaceMembers(top.manifest);
    const packages: UvPackage[] = [];
    forEachLockPackage(top.package, document.packageLines, diagnostics, ({ entry, name, at }) => {
      // Fields left undefined rather than spread in: this object never leaves the parser.
      packages.push({
        index: packages.length,
        name,
        entry,
        project: isProject(name, entry.source, members),
        version: nonEmptyString(entry.version),
        line: at.line,
      });
    });

    const byName = new Map<string, UvPackage[]>();
    for (const pkg of packages) {
      const same = byName.get(pkg.name);
      if (same) same.push(pkg);
      else byName.set(pkg.name, [pkg]);
    }
    // Memoised by name, then version: a lock repeating one name thousands of times must not
    // filter them for every edge, nor build a key string per edge.
    const resolved = new Map<string, Map<string, UvPackage[]>>();
    const resolve = (edge: Edge): UvPackage[] => {
      let byVersion = resolved.get(edge.name);
      if (!byVersion) {
        byVersion = new Map();
        resolved.set(edge.name, byVersion);
      }
      const version = edge.version ?? '';
      let targets = byVersion.get(version);
      if (!targets) {
        const candidates = byName.get(edge.name) ?? [];
        const exact = edge.version ? candidates.filter((c) => c.version === edge.version) : [];
        targets = exact.length > 0 ? exact : candidates;
        byVersion.set(version, targets);
      }
      return targets;
    };

    const projects = packages.filter((p) => p.project);
    const runtimeRoots = projects.flatMap((p) => edgesOf(p.entry.dependencies));
    const optionalRoots = projects.flatMap((p) => edgeGroups(p.entry['optional-dependencies']));
    const devRoots = projects.flatMap((p) => edgeGroups(p.entry['dev-dependencies']));
    const direct = new Set(
      [...runtimeRoots, ...optionalRoots, ...devRoots].flatMap((edge) => resolve(edge).map((p) => p.index)),
    );
    const runtime = reach(runtimeRoots, packages, resolve);
    const optional = reach(optionalRoots, packages, resolve);
    const dev = reach(devRoots, packages, resolve);

    const dependencies: ParsedDependency[] = [];
    const kept: UvPackage[] = [];
    for (const pkg of packages) {
      if (pkg.project) continue;
      const at = atLine(pkg.line);
      const version = registryVersion(
        diagnostics,
        { name: pkg.name, at },
        nonRegistryOrigin(pkg.entry.source),
        pkg.version,
      );
      if (!version) continue;
      const scope: DependencyScope = runtime[pkg.index]
        ? 'runtime'
        : optional[pkg.index]
          ? 'optional'
          : dev[pkg.index]
            ? 'dev'
            : 'runtime';
      dependencies.push({
        ecosystem: 'PyPI',
        name: pkg.name,
        version,
        scope,
        direct: direct.has(pkg.index),
        manifestPath: path,
        ...at,
      });
      kept.push(pkg);
    }
    const edgesFrom = graphOf(packages, kept, resolve);
    return {
      dependencies: dependencies.map((dependency, i) => {
        const { entry } = kept[i] as UvPackage;
        const sdist = isObject(entry.sdist) ? [entry.sdist] : [];
        const wheels = Array.isArray(entry.wheels) ? entry.wheels : [];
        return withMetadata(dependency, {
          hashes: singleArtifactHash([...sdist, ...wheels]),
          dependsOn: edgesFrom(kept[i] as UvPackage),
        });
      }),
      diagnostics,
    };
  },
};

/** A value as a message shows it; TOML tables have no prototype, so `String()` would throw. */
function written(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? typeof value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function workspaceMembers(manifest: unknown): Set<string> {
  const members = isObject(manifest) ? manifest.members : undefined;
  if (!Array.isArray(members)) return new Set();
  return new Set(
    members.filter((m): m is string => typeof m === 'string').map((m) => normalizePackageName('PyPI', m)),
  );
}

function isProject(name: string, source: unknown, members: Set<string>): boolean {
  if (!isObject(source)) return false;
  const local = source.editable ?? source.virtual;
  return typeof local === 'string' && (local === '.' || members.has(name));
}

function nonRegistryOrigin(source: unknown): string | undefined {
  if (!isObject(source) || source.registry !== undefined) return undefined;
  const git = nonEmptyString(source.git);
  if (git) return `VCS source ${redactUrl(git)}`;
  const url = nonEmptyString(source.url);
  if (url) return `direct URL ${redactUrl(url)}`;
  for (const key of ['path', 'directory', 'editable', 'virtual']) {
    const local = nonEmptyString(source[key]);
    if (local) return `local ${key} ${local}`;
  }
  return undefined;
}

function edgesOf(list: unknown): Edge[] {
  if (!Array.isArray(list)) return [];
  const edges: Edge[] = [];
  for (const item of list) {
    const name = isObject(item) ? nonEmptyString(item.name) : undefined;
    if (!isObject(item) || !name) continue;
    const version = nonEmptyString(item.version);
    const extras = Array.isArray(item.extra)
      ? item.extra.filter((e): e is string => typeof e === 'string')
      : [];
    edges.push({ name: normalizePackageName('PyPI', name), extras, ...(version ? { version } : {}) });
  }
  return edges;
}

/** `[package.optional-dependencies]` / `[package.dev-dependencies]`: group name → edges. */
function edgeGroups(table: unknown): Edge[] {
  return isObject(table) ? Object.values(table).flatMap(edgesOf) : [];
}

/** 1 at the index of each package reachable from `starts`, following extras where an edge asks for them. */
function reach(starts: Edge[], packages: UvPackage[], resolve: (edge: Edge) => UvPackage[]): Uint8Array {
  const reached = new Uint8Array(packages.length);
  // By index: queued once without extras, and dependencies expanded once.
  const queued = new Uint8Array(packages.length);
  const expanded = new Uint8Array(packages.length);
  const expandedExtras = new Set<string>();
  const pending: { index: number; extras: readonly string[] }[] = [];
  // Following an edge with extras twice adds nothing; remembering it keeps repeated edges linear.
  const followed = new Set<string>();
  const follow = (edge: Edge) => {
    if (edge.extras.length === 0) {
      for (const target of resolve(edge)) {
        if (queued[target.index] === 1) continue;
        queued[target.index] = 1;
        pending.push({ index: target.index, extras: edge.extras });
      }
      return;
    }
    const key = `${edge.name}\0${edge.version ?? ''}\0${edge.extras.join('\0')}`;
    if (followed.has(key)) return;
    followed.add(key);
    for (const target of resolve(edge)) pending.push({ index: target.index, extras: edge.extras });
  };
  starts.forEach(follow);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { entry } = packages[next.index] as UvPackage;
    reached[next.index] = 1;
    if (expanded[next.index] === 0) {
      expanded[next.index] = 1;
      edgesOf(entry.dependencies).forEach(follow);
    }
    const optionalDependencies = entry['optional-dependencies'];
    for (const extra of next.extras) {
      if (expandedExtras.has(`${next.index}[${extra}]`)) continue;
      expandedExtras.add(`${next.index}[${extra}]`);
      if (isObject(optionalDependencies)) edgesOf(optionalDependencies[extra]).forEach(follow);
    }
  }
  return reached;
}

/**
 * A kept package's edges: its `dependencies`, and its `optional-dependencies` for each extra some
 * edge of the lock asks of it, to the packages kept (registry ones with a version).
 */
function graphOf(
  packages: readonly UvPackage[],
  kept: readonly UvPackage[],
  resolve: (edge: Edge) => UvPackage[],
): (pkg: UvPackage) => DependencyRef[] {
  const refs = new Map(kept.map((pkg) => [pkg.index, { name: pkg.name, version: pkg.version as string }]));
  const asked = new Map<string, Set<string>>();
  for (const { entry } of packages) {
    const edges = [
      ...edgesOf(entry.dependencies),
      ...edgeGroups(entry['optional-dependencies']),
      ...edgeGroups(entry['dev-dependencies']),
    ];
    for (const { name, extras } of edges) {
      if (extras.length === 0) continue;
      const known = asked.get(name) ?? new Set<string>();
      extras.forEach((extra) => known.add(extra));
      asked.set(name, known);
    }
  }
  return ({ name, entry }) => {
    const optional = entry['optional-dependencies'];
    const extras = [...(asked.get(name) ?? [])].flatMap((extra) =>
      isObject(optional) ? edgesOf(optional[extra]) : [],
    );
    return [...edgesOf(entry.dependencies), ...extras].flatMap((edge) =>
      resolve(edge).flatMap((target) => refs.get(target.index) ?? []),
    );
  };
}
