import { refuseDeepJson } from '../../manifest-text';
import { findJsonSyntaxError } from '../../../shared/json-syntax-error';
import { isObject } from '../../../shared/is-object';
import { metadataOf, sriHashes, type DependencyMetadata } from '../../dependency-metadata';
import type {
  DependencyRef,
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
} from '../../manifest.types';
import { DependencyCollector, type CollectedDependency } from './dependency-collector';
import { JsonKeyLines } from './json-key-lines';
import { readLockText } from './lock-text';
import { isExactVersion, isRegistryTarball, splitDescriptor } from './npm-package-source';

type JsonObject = Record<string, unknown>;

const KNOWN_VERSIONS = new Set<unknown>([1, 2, 3]);
const ROOT_DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
];
const NODE_MODULES = 'node_modules/';
// The fields whose names an installed package resolves to other installed packages.
const EDGE_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];
// Real trees nest a few dozen folders at most; a hostile one must not make each edge walk its depth.
const MAX_LOOKUP_DEPTH = 64;

/** The integrity and licence an entry records. */
function entryMetadata(entry: JsonObject): DependencyMetadata {
  const license = entry['license'];
  const stated = isObject(license) ? license['type'] : license;
  return metadataOf({ hashes: sriHashes(entry['integrity']), licenses: [stated] });
}

/**
 * The folders an install path looks in for a dependency, nearest first, as Node resolves it:
 * its own node_modules, then each enclosing node_modules up to the project root's.
 */
function lookupPrefixes(key: string): string[] {
  const prefixes = [`${key}/`];
  for (let at = key.lastIndexOf(NODE_MODULES); at !== -1 && prefixes.length < MAX_LOOKUP_DEPTH;) {
    prefixes.push(key.slice(0, at));
    at = at === 0 ? -1 : key.lastIndexOf(NODE_MODULES, at - 1);
  }
  if (prefixes[prefixes.length - 1] !== '') prefixes.push('');
  return prefixes;
}

/** The packages an entry's dependency fields name, resolved to the installed copies the lock lists. */
function resolvePackageEdges(
  key: string,
  entry: JsonObject,
  installed: ReadonlyMap<string, DependencyRef>,
): DependencyRef[] {
  const edges: DependencyRef[] = [];
  let prefixes: string[] | undefined;
  for (const field of EDGE_FIELDS) {
    const names = entry[field];
    if (!isObject(names)) continue;
    for (const name of Object.keys(names)) {
      prefixes ??= lookupPrefixes(key);
      for (const prefix of prefixes) {
        const target = installed.get(`${prefix}${NODE_MODULES}${name}`);
        if (target) {
          edges.push(target);
          break;
        }
      }
    }
  }
  return edges;
}

/** Why an entry has no registry version to check, or null when it came from a registry. */
function nonRegistryReason(version: string, resolved: unknown): string | null {
  if (typeof resolved === 'string' && !isRegistryTarball(resolved)) {
    return `it comes from ${resolved}, not from a registry`;
  }
  if (!isExactVersion(version)) return `"${version}" is not a registry version`;
  return null;
}

interface LockContext {
  readonly lines: JsonKeyLines;
  readonly collector: DependencyCollector;
  readonly diagnostics: ManifestDiagnostic[];
}

function unresolvable(context: LockContext, subject: string, reason: string, line: number | undefined): void {
  context.diagnostics.push({
    severity: 'warning',
    code: 'UNRESOLVABLE',
    message: `${subject}: ${reason}; it was skipped`,
    ...(line === undefined ? {} : { line }),
  });
}

function unnamed(context: LockContext, subject: string, line: number | undefined): void {
  context.diagnostics.push({
    severity: 'warning',
    code: 'MISSING_FIELD',
    message: `${subject} names no package; it was skipped`,
    ...(line === undefined ? {} : { line }),
  });
}

/**
 * lockfileVersion 2 and 3: the flat `packages` map keyed by install path. Scope follows npm's
 * flags: `dev` and `devOptional` (needed by dev and optional paths only) count as dev, `optional`
 * as optional.
 */
function readPackages(context: LockContext, packages: JsonObject): void {
  const root = packages[''];
  const declared = new Set<string>();
  if (isObject(root)) {
    for (const field of ROOT_DEPENDENCY_FIELDS) {
      const listed = root[field];
      if (isObject(listed)) Object.keys(listed).forEach((name) => declared.add(name));
    }
  }

  const installed = new Map<string, DependencyRef>();
  const collected: { key: string; entry: JsonObject; dependency: CollectedDependency }[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    const at = key.lastIndexOf(NODE_MODULES);
    // The root and workspace folders are the project itself; what they install sits under node_modules/.
    if (at === -1) continue;
    const folder = key.slice(at + NODE_MODULES.length);
    const line = context.lines.next(key);
    const where = line === undefined ? {} : { line };
    if (!isObject(entry)) {
      context.diagnostics.push({
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: `"${key}" is not an object; it was skipped`,
        ...where,
      });
      continue;
    }
    if (entry['link'] === true) {
      const target = typeof entry['resolved'] === 'string' ? entry['resolved'] : 'a local folder';
      context.diagnostics.push({
        severity: 'info',
        code: 'WORKSPACE_LINK',
        message: `${folder} links to ${target} (a workspace or local folder); it was skipped`,
        ...where,
      });
      continue;
    }
    // An alias (`"foo": "npm:bar@1.0.0"`) installs bar in node_modules/foo and records `name`.
    const name = typeof entry['name'] === 'string' && entry['name'] !== '' ? entry['name'] : folder;
    if (name.trim() === '') {
      unnamed(context, `"${key}"`, line);
      continue;
    }
    const version = entry['version'];
    if (typeof version !== 'string' || version === '') {
      unresolvable(context, name, 'no version is locked', line);
      continue;
    }
    const reason = nonRegistryReason(version, entry['resolved']);
    if (reason) {
      unresolvable(context, isExactVersion(version) ? `${name}@${version}` : name, reason, line);
      continue;
    }
    const scope: DependencyScope =
      entry['dev'] === true || entry['devOptional'] === true
        ? 'dev'
        : entry['optional'] === true
          ? 'optional'
          : 'runtime';
    const dependency = { name, version, scope, direct: at === 0 && declared.has(folder), line };
    installed.set(key, context.collector.refOf(name, version));
    collected.push({ key, entry, dependency });
  }
  // Added once every installed package is known: an entry may depend on one listed after it.
  for (const { key, entry, dependency } of collected) {
    const dependsOn = resolvePackageEdges(key, entry, installed);
    context.collector.add(dependency, { ...entryMetadata(entry), dependsOn });
  }
}

/**
 * lockfileVersion 1: the nested `dependencies` tree. It does not say what the root asked for,
 * so every top-level entry counts as direct (hoisted transitive ones included).
 */
function readTree(context: LockContext, dependencies: JsonObject): void {
  // Depth-first in document order (the line lookup relies on it), without recursion.
  const root: TreeScope = { dependencies, parent: null };
  const stack: { entries: [string, unknown][]; index: number; depth: number; scope: TreeScope }[] = [
    { entries: Object.entries(dependencies), index: 0, depth: 0, scope: root },
  ];
  const refs = new Map<JsonObject, DependencyRef>();
  const pending: { entry: JsonObject; ref: DependencyRef; scope: TreeScope }[] = [];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    const next = frame.entries[frame.index++];
    if (!next) {
      stack.pop();
      continue;
    }
    const [folder, entry] = next;
    const line = context.lines.next(folder);
    if (!isObject(entry)) {
      context.diagnostics.push({
        severity: 'warning',
        code: 'INVALID_SYNTAX',
        message: `dependency "${folder}" is not an object; it was skipped`,
        ...(line === undefined ? {} : { line }),
      });
      continue;
    }
    const ref = readTreeEntry(context, folder, entry, frame.depth, line);
    const nested = entry['dependencies'];
    const scope = isObject(nested) ? { dependencies: nested, parent: frame.scope } : frame.scope;
    if (ref) {
      refs.set(entry, ref);
      pending.push({ entry, ref, scope });
    }
    if (isObject(nested)) {
      stack.push({ entries: Object.entries(nested), index: 0, depth: frame.depth + 1, scope });
    }
  }
  for (const { entry, ref, scope } of pending) {
    context.collector.describe(ref, { dependsOn: resolveTreeEdges(entry, scope, refs) });
  }
}

/** One `dependencies` object of a v1 tree and the one enclosing it. */
interface TreeScope {
  readonly dependencies: JsonObject;
  readonly parent: TreeScope | null;
}

/** An entry's `requires`, each resolved to the nearest copy: its own nested ones, then up the tree. */
function resolveTreeEdges(
  entry: JsonObject,
  scope: TreeScope,
  refs: ReadonlyMap<JsonObject, DependencyRef>,
): DependencyRef[] {
  const requires = entry['requires'];
  if (!isObject(requires)) return [];
  const edges: DependencyRef[] = [];
  for (const name of Object.keys(requires)) {
    let depth = 0;
    for (let at: TreeScope | null = scope; at && depth < MAX_LOOKUP_DEPTH; at = at.parent, depth++) {
      if (!Object.hasOwn(at.dependencies, name)) continue;
      const target = at.dependencies[name];
      const ref = isObject(target) ? refs.get(target) : undefined;
      if (ref) edges.push(ref);
      break;
    }
  }
  return edges;
}

/** Collects one tree entry; the name and version it is stored under, or null when skipped. */
function readTreeEntry(
  context: LockContext,
  folder: string,
  entry: JsonObject,
  depth: number,
  line: number | undefined,
): DependencyRef | null {
  const locked = entry['version'];
  if (typeof locked !== 'string' || locked === '') {
    unresolvable(context, folder, 'no version is locked', line);
    return null;
  }
  // npm 6 writes an alias as `"version": "npm:bar@1.0.0"`.
  const alias = locked.startsWith('npm:') ? splitDescriptor(locked.slice('npm:'.length)) : null;
  const name = alias ? alias.name : folder;
  const version = alias ? alias.range : locked;
  if (name.trim() === '') {
    unnamed(context, `dependency "${folder}"`, line);
    return null;
  }
  const reason = nonRegistryReason(version, entry['resolved']);
  if (reason) {
    unresolvable(context, isExactVersion(version) ? `${name}@${version}` : name, reason, line);
    return null;
  }
  const scope: DependencyScope =
    entry['dev'] === true ? 'dev' : entry['optional'] === true ? 'optional' : 'runtime';
  context.collector.add({ name, version, scope, direct: depth === 0, line }, entryMetadata(entry));
  return context.collector.refOf(name, version);
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) line++;
  return line;
}

/**
 * `package-lock.json` and `npm-shrinkwrap.json` (same format), lockfileVersion 1, 2 and 3.
 * Versions 2 and 3 are read from `packages`, version 1 from the `dependencies` tree.
 */
export const packageLockParser: ManifestParser = {
  id: 'package-lock-json',
  ecosystem: 'npm',
  parse(path, text) {
    const lockText = readLockText(path, text);
    if (!lockText.ok) return lockText.result;
    const { source } = lockText;
    const tooDeep = refuseDeepJson(path, source);
    if (tooDeep) return tooDeep;

    let lock: unknown;
    try {
      lock = JSON.parse(source);
    } catch (error) {
      const found = findJsonSyntaxError(source);
      const detail = found
        ? `line ${found.line}, column ${found.column}: ${found.reason}`
        : error instanceof Error
          ? error.message
          : String(error);
      return {
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: `${path} is not valid JSON (${detail})`,
            ...(found ? { line: found.line } : {}),
          },
        ],
      };
    }
    if (!isObject(lock)) {
      return {
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: `${path} is JSON but not an object`,
            line: 1,
          },
        ],
      };
    }

    const diagnostics: ManifestDiagnostic[] = [];
    const collector = new DependencyCollector(path);
    const context: LockContext = { lines: new JsonKeyLines(source), collector, diagnostics };
    const lockfileVersion = lock['lockfileVersion'];
    if (lockfileVersion === undefined) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no lockfileVersion; it was read by its shape`,
      });
    } else if (!KNOWN_VERSIONS.has(lockfileVersion)) {
      const at = /"lockfileVersion"\s*:/.exec(source);
      diagnostics.push({
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: `lockfileVersion ${JSON.stringify(lockfileVersion)} is not one RepoGuard knows (1-3); it was read as the closest known format`,
        ...(at ? { line: lineOfOffset(source, at.index) } : {}),
      });
    }

    const { packages, dependencies } = lock;
    if (lockfileVersion !== 1 && isObject(packages)) readPackages(context, packages);
    else if (isObject(dependencies)) readTree(context, dependencies);
    else if (lockfileVersion !== 1) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has neither a "packages" map nor a "dependencies" tree`,
      });
    }
    return { dependencies: collector.toArray(), diagnostics };
  },
};
