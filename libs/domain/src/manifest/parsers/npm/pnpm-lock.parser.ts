import { isObject } from '../../../shared/is-object';
import { sriHashes } from '../../dependency-metadata';
import type {
  DependencyRef,
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
} from '../../manifest.types';
import { DependencyCollector } from './dependency-collector';
import { readLockText, shownValue } from './lock-text';
import { isExactVersion, isRegistryTarball } from './npm-package-source';
import { YamlLockDocument, type YamlEntry } from './yaml-lock-document';

type PlainObject = Record<string, unknown>;

// Lower rank wins when a package is reached several ways: needed at run time beats optional beats dev.
const RANKS: DependencyScope[] = ['runtime', 'optional', 'dev'];
const IMPORTER_SECTIONS: [string, number][] = [
  ['dependencies', 0],
  ['optionalDependencies', 1],
  ['devDependencies', 2],
];
const KNOWN_MAJORS = new Set([5, 6, 9]);

function ownEntries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}

function isPackageName(name: string): boolean {
  if (name === '') return false;
  return name.startsWith('@') ? name.split('/').length === 2 : !name.includes('/');
}

/** Drops the peer suffix: `18.2.0(react@18.2.0)` (v6+) or `18.2.0_react@18.2.0` (v5). */
function withoutPeers(version: string): string {
  const end = version.search(/[(_]/);
  return end === -1 ? version : version.slice(0, end);
}

interface PackageId {
  readonly name: string;
  readonly version: string;
}

/** `/name/1.2.3_peer` (v5), `/name@1.2.3(peer)` (v6) and `name@1.2.3(peer)` (v9), scoped or not. */
export function parsePnpmPackageKey(key: string): PackageId | null {
  const path = key.startsWith('/') ? key.slice(1) : key;
  const at = path.indexOf('@', 1);
  if (at > 0 && isPackageName(path.slice(0, at))) {
    return { name: path.slice(0, at), version: withoutPeers(path.slice(at + 1)) };
  }
  const segments = path.split('/');
  const nameLength = path.startsWith('@') ? 2 : 1;
  if (segments.length <= nameLength) return null;
  const name = segments.slice(0, nameLength).join('/');
  if (!isPackageName(name)) return null;
  return { name, version: withoutPeers(segments.slice(nameLength).join('/')) };
}

interface Reference {
  /** The registry package, or null for a git, tarball or folder source. */
  readonly id: PackageId | null;
  /** Its `snapshots` key (v9): name, version and peer suffix. */
  readonly snapshot: string;
}

/**
 * What an importer or snapshot dependency points at: `4.17.21`, `18.2.0(react@18.2.0)`, an alias
 * (`/bar/1.0.0`, `/bar@1.0.0`, `bar@1.0.0`) or a source URL; null for `link:` (the project itself).
 */
function resolveReference(alias: string, reference: unknown): Reference | null {
  const ref = isObject(reference) ? reference['version'] : reference;
  if (typeof ref !== 'string' || ref === '' || ref.startsWith('link:')) return null;
  if (/^\d/.test(ref))
    return { id: { name: alias, version: withoutPeers(ref) }, snapshot: `${alias}@${ref}` };
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return { id: null, snapshot: `${alias}@${ref}` };
  return { id: parsePnpmPackageKey(ref), snapshot: ref.startsWith('/') ? ref.slice(1) : ref };
}

/** `resolveReference(alias, reference)?.snapshot` without the package id the walk has no use for. */
function snapshotOf(alias: string, reference: unknown): string | null {
  const ref = isObject(reference) ? reference['version'] : reference;
  if (typeof ref !== 'string' || ref === '' || ref.startsWith('link:')) return null;
  const code = ref.charCodeAt(0);
  if ((code >= 0x30 && code <= 0x39) || /^[a-z][a-z0-9+.-]*:/i.test(ref)) return `${alias}@${ref}`;
  return code === 0x2f ? ref.slice(1) : ref;
}

/** Where a `packages` entry comes from when that is not a registry, else null. */
function nonRegistrySource(key: string, id: PackageId | null, entry: PlainObject): string | null {
  const resolution = isObject(entry['resolution']) ? entry['resolution'] : {};
  const { tarball, directory } = resolution;
  if (resolution['type'] === 'git' || typeof resolution['repo'] === 'string') return `git (${key})`;
  if (typeof directory === 'string') return `the folder ${directory}`;
  if (typeof tarball === 'string' && !isRegistryTarball(tarball)) return tarball;
  if (!id || !isExactVersion(id.version)) return key;
  return null;
}

const packageKeyOf = ({ name, version }: PackageId) => `${name}@${version}`;

/**
 * v9 keeps no dev flags: a package's scope is the widest way it is reached from the importers,
 * walking `snapshots`. Each snapshot is revisited only when its rank improves (at most 3 times).
 */
function rankFromSnapshots(
  snapshots: ReadonlyMap<string, YamlEntry>,
  roots: { snapshot: string; rank: number }[],
): Map<string, number> {
  const ranks = new Map<string, number>();
  const queue: string[] = [];
  const visit = (snapshot: string, rank: number) => {
    const known = ranks.get(snapshot);
    if (known !== undefined && known <= rank) return;
    ranks.set(snapshot, rank);
    queue.push(snapshot);
  };
  roots.forEach(({ snapshot, rank }) => visit(snapshot, rank));
  while (queue.length > 0) {
    const snapshot = queue.pop() as string;
    const rank = ranks.get(snapshot) as number;
    const entry = snapshots.get(snapshot)?.value;
    if (!isObject(entry)) continue;
    for (const [alias, reference] of ownEntries(entry['dependencies'])) {
      const target = snapshotOf(alias, reference);
      if (target !== null) visit(target, rank);
    }
    for (const [alias, reference] of ownEntries(entry['optionalDependencies'])) {
      const target = snapshotOf(alias, reference);
      if (target !== null) visit(target, Math.max(rank, 1));
    }
  }
  const byPackage = new Map<string, number>();
  for (const [snapshot, rank] of ranks) {
    const id = parsePnpmPackageKey(snapshot);
    if (!id) continue;
    const key = packageKeyOf(id);
    byPackage.set(key, Math.min(rank, byPackage.get(key) ?? rank));
  }
  return byPackage;
}

/** Scope from the v5/v6 flags: `dev: false` is production only, no flag means both. */
function rankFromFlags(entry: PlainObject): number {
  const flag = (name: string) => entry[name] === 'true' || entry[name] === true;
  return flag('dev') ? 2 : flag('optional') ? 1 : 0;
}

// The sections of a package (v5, v6) or snapshot (v9) that name installed packages; peers are ranges.
const EDGE_SECTIONS = ['dependencies', 'optionalDependencies'];

/**
 * Edges of each collected package: from its `snapshots` entries (v9, every peer variant's) or its
 * `packages` entry (v5, v6), to packages the lock lists from a registry.
 */
function describeEdges(
  collector: DependencyCollector,
  collected: ReadonlyMap<string, { id: PackageId; entry: PlainObject }>,
  snapshots: ReadonlyMap<string, YamlEntry> | undefined,
): void {
  const edgesOf = (entry: unknown): DependencyRef[] => {
    const edges: DependencyRef[] = [];
    for (const section of EDGE_SECTIONS) {
      if (!isObject(entry)) break;
      for (const [alias, reference] of ownEntries(entry[section])) {
        const id = resolveReference(alias, reference)?.id;
        const target = id ? collected.get(packageKeyOf(id)) : undefined;
        if (target) edges.push(collector.refOf(target.id.name, target.id.version));
      }
    }
    return edges;
  };
  // Gathered first, described once per package: merging per peer variant would sort the growing
  // union again for each of a package's thousands of variants.
  const edges = new Map<string, DependencyRef[]>();
  for (const [key, { entry }] of collected) edges.set(key, snapshots ? [] : edgesOf(entry));
  for (const [key, { value }] of snapshots ?? []) {
    const id = parsePnpmPackageKey(key);
    const known = id ? edges.get(packageKeyOf(id)) : undefined;
    if (known) for (const edge of edgesOf(value)) known.push(edge);
  }
  for (const [key, { id }] of collected) {
    collector.describe(collector.refOf(id.name, id.version), { dependsOn: edges.get(key) ?? [] });
  }
}

/**
 * `pnpm-lock.yaml` lockfileVersion 5.x (`/name/1.2.3`), 6.x (`/name@1.2.3`) and 9.x
 * (`name@1.2.3` with `snapshots`). Direct dependencies are those of every importer (the root and
 * each workspace package, all part of the project); before workspaces, the root's own sections.
 */
export const pnpmLockParser: ManifestParser = {
  id: 'pnpm-lock',
  ecosystem: 'npm',
  parse(path, text) {
    const lockText = readLockText(path, text);
    if (!lockText.ok) return lockText.result;
    const { source } = lockText;
    // `packages` and `snapshots` hold thousands of entries: read by key, never as plain objects.
    const document = YamlLockDocument.parse(source, path, ['packages', 'snapshots']);
    const diagnostics: ManifestDiagnostic[] = [...document.diagnostics];
    if (!document.isMapping) {
      if (diagnostics.length === 0) {
        diagnostics.push({
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: `${path} is not a YAML mapping`,
          line: 1,
        });
      }
      return { dependencies: [], diagnostics };
    }

    const rawVersion = document.get('lockfileVersion');
    const major =
      typeof rawVersion === 'string' ? /^(\d+)(?:\.\d+)?$/.exec(rawVersion.trim())?.[1] : undefined;
    if (rawVersion === null || rawVersion === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no lockfileVersion; it was read by its shape`,
      });
    } else if (major === undefined || !KNOWN_MAJORS.has(Number(major))) {
      const line = document.entries().find((entry) => entry.key === 'lockfileVersion')?.line;
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `lockfileVersion ${shownValue(rawVersion)} is not one RepoGuard knows (5.x, 6.x, 9.x); it was read by its shape`,
        ...(line === undefined ? {} : { line }),
      });
    }

    const importers = document.get('importers');
    const projects = isObject(importers)
      ? Object.values(importers)
      : [Object.fromEntries(IMPORTER_SECTIONS.map(([section]) => [section, document.get(section)]))];
    const directRanks = new Map<string, number>();
    const roots: { snapshot: string; rank: number }[] = [];
    for (const project of projects) {
      if (!isObject(project)) continue;
      for (const [section, rank] of IMPORTER_SECTIONS) {
        for (const [alias, reference] of ownEntries(project[section])) {
          const target = resolveReference(alias, reference);
          if (!target) continue;
          if (target.id) {
            const key = packageKeyOf(target.id);
            directRanks.set(key, Math.min(rank, directRanks.get(key) ?? rank));
          }
          roots.push({ snapshot: target.snapshot, rank });
        }
      }
    }
    const snapshots = document.mapping('snapshots');
    const snapshotRanks = snapshots ? rankFromSnapshots(snapshots, roots) : null;

    const collector = new DependencyCollector(path);
    const collected = new Map<string, { id: PackageId; entry: PlainObject }>();
    for (const { key, value, line } of document.entries('packages')) {
      if (value !== null && value !== '' && !isObject(value)) {
        diagnostics.push({
          severity: 'warning',
          code: 'INVALID_SYNTAX',
          message: `package "${key}" is not a mapping; it was skipped`,
          ...(line === undefined ? {} : { line }),
        });
        continue;
      }
      const entry = isObject(value) ? value : {};
      const id = parsePnpmPackageKey(key);
      const source = nonRegistrySource(key, id, entry);
      if (!id || source !== null) {
        const name = typeof entry['name'] === 'string' ? entry['name'] : (id?.name ?? key);
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name}: it comes from ${source ?? key}, not from a registry; it was skipped`,
          ...(line === undefined ? {} : { line }),
        });
        continue;
      }
      const packageKey = packageKeyOf(id);
      const direct = directRanks.get(packageKey);
      const found = snapshotRanks ? (snapshotRanks.get(packageKey) ?? direct ?? 0) : rankFromFlags(entry);
      const rank = Math.min(found, direct ?? found);
      const resolution = isObject(entry['resolution']) ? entry['resolution'] : {};
      collector.addPackage(id.name, id.version, RANKS[rank] as DependencyScope, direct !== undefined, line, {
        hashes: sriHashes(resolution['integrity']),
      });
      collected.set(packageKey, { id, entry });
    }
    describeEdges(collector, collected, snapshots);
    return { dependencies: collector.toArray(), diagnostics };
  },
};
