import { hasMetadata, mergeMetadata, withMetadata } from './dependency-metadata';
import type { DependencyScope, ManifestDiagnostic, ParsedDependency } from './manifest.types';

/**
 * What makes two parsed dependencies the same one: ecosystem, name, version and manifest, the
 * columns a finding is unique on, so repeats can never reach its upsert twice. Unpinned ones
 * (never matched) also keep their requirement apart: `flask>=1` and `flask<3` say different things.
 */
export function dependencyIdentity(dependency: ParsedDependency): string {
  const { ecosystem, name, version, manifestPath } = dependency;
  const requirement = version === null ? (dependency.specifier ?? '') : '';
  return [ecosystem, name, version ?? '', manifestPath, requirement].join('\u0000');
}

export interface Repeat<T extends ParsedDependency> {
  readonly repeated: T;
  readonly first: T;
}

/**
 * The dependencies met so far under one name. Those with a written version are looked up by it,
 * a string they already hold (one name with thousands of versions builds no key); the rest
 * (unpinned, or an empty version) by their whole identity.
 */
interface SameName {
  readonly byVersion: Map<string, number | number[]>;
  readonly byIdentity: Map<string, number>;
}

/** Same identity, for two dependencies of one name that both have a non-empty version. */
function sameVersioned(a: ParsedDependency, b: ParsedDependency): boolean {
  return a.version === b.version && a.ecosystem === b.ecosystem && a.manifestPath === b.manifestPath;
}

/**
 * The index of an earlier dependency with the same identity, else undefined after recording this
 * one at the next index (`firsts.length`).
 */
function indexOfSame<T extends ParsedDependency>(
  byName: Map<string, number | SameName>,
  firsts: readonly T[],
  dependency: T,
): number | undefined {
  const next = firsts.length;
  let known = byName.get(dependency.name);
  if (known === undefined) {
    byName.set(dependency.name, next);
    return undefined;
  }
  if (typeof known === 'number') {
    const same: SameName = { byVersion: new Map(), byIdentity: new Map() };
    recordSame(same, firsts[known] as T, known);
    byName.set(dependency.name, same);
    known = same;
  }
  const { version } = dependency;
  if (!version) {
    const identity = dependencyIdentity(dependency);
    const index = known.byIdentity.get(identity);
    if (index === undefined) known.byIdentity.set(identity, next);
    return index;
  }
  const earlier = known.byVersion.get(version);
  if (earlier === undefined) {
    known.byVersion.set(version, next);
    return undefined;
  }
  // Nearly always one: the same name and version in another manifest or ecosystem.
  const candidates = typeof earlier === 'number' ? [earlier] : earlier;
  for (const index of candidates) if (sameVersioned(firsts[index] as T, dependency)) return index;
  known.byVersion.set(version, [...candidates, next]);
  return undefined;
}

function recordSame(same: SameName, dependency: ParsedDependency, index: number): void {
  if (dependency.version) same.byVersion.set(dependency.version, index);
  else same.byIdentity.set(dependencyIdentity(dependency), index);
}

// Needed at run time by one declaration means needed at run time.
const SCOPE_WEIGHT: Record<DependencyScope, number> = { runtime: 2, optional: 1, dev: 0 };

/**
 * One dependency per identity, in first-seen order, at the line of its first declaration; direct
 * when any declaration was, in the widest scope any gave it, with the union of their hashes,
 * licences and edges.
 */
export function dedupeDependencies<T extends ParsedDependency>(
  dependencies: readonly T[],
): { dependencies: T[]; repeats: Repeat<T>[] } {
  // Index into two arrays rather than an object per dependency: a lock lists tens of thousands.
  // Looked up by name first (a string the parser already hashed), then by version among
  // dependencies of one name (see SameName): most names come once, and pinned ones build no key.
  const byName = new Map<string, number | SameName>();
  const firsts: T[] = [];
  const merged: T[] = [];
  const repeats: Repeat<T>[] = [];
  for (const dependency of dependencies) {
    const index = indexOfSame(byName, firsts, dependency);
    if (index === undefined) {
      firsts.push(dependency);
      merged.push(dependency);
      continue;
    }
    const first = firsts[index] as T;
    const earlier = merged[index] as T;
    repeats.push({ repeated: dependency, first });
    const direct = earlier.direct || dependency.direct;
    const scope =
      SCOPE_WEIGHT[dependency.scope] > SCOPE_WEIGHT[earlier.scope] ? dependency.scope : earlier.scope;
    if (direct !== earlier.direct || scope !== earlier.scope) merged[index] = { ...earlier, direct, scope };
    if (hasMetadata(dependency)) {
      merged[index] = withMetadata(merged[index] as T, mergeMetadata(merged[index] as T, dependency));
    }
  }
  return { dependencies: merged, repeats };
}

// Lists whose builder kept one dependency per identity (a keyed collector). A set on the side rather
// than a field on the result, so a parser's result keeps its shape.
const UNIQUE_LISTS = new WeakSet<readonly ParsedDependency[]>();

/**
 * Marks a list its builder proved free of repeats (one entry per `dependencyIdentity`), so
 * `withoutRepeatedDependencies` returns it as it is instead of indexing it again. The list must not
 * change afterwards.
 */
export function markedUnique<T extends readonly ParsedDependency[]>(dependencies: T): T {
  UNIQUE_LISTS.add(dependencies);
  return dependencies;
}

/** True when `markedUnique` vouched for this list. */
export function isMarkedUnique(dependencies: readonly ParsedDependency[]): boolean {
  return UNIQUE_LISTS.has(dependencies);
}

// A file that repeats one line a million times must not yield a million diagnostics.
export const MAX_REPEAT_DIAGNOSTICS = 20;

/** The info diagnostic for a repeat no parser reported; shared by parsers that merge repeats themselves. */
export function repeatDiagnostic(repeated: ParsedDependency, first: ParsedDependency): ManifestDiagnostic {
  return {
    severity: 'info',
    code: 'DUPLICATE',
    message: `${repeated.name} ${repeated.version ?? repeated.specifier ?? '(no version)'} is listed more than once${first.line === undefined ? '' : ` (first on line ${first.line})`}; it is counted once`,
    ...(repeated.line === undefined ? {} : { line: repeated.line }),
  };
}

/** The diagnostic that stands for the repeats past MAX_REPEAT_DIAGNOSTICS. */
export function moreRepeatsDiagnostic(count: number): ManifestDiagnostic {
  return {
    severity: 'info',
    code: 'DUPLICATE',
    message: `${count} more repeated dependencies were counted once`,
  };
}

/**
 * The parser's result with repeated dependencies merged as `dedupeDependencies` does, and an info
 * diagnostic for each repeat the parser did not report itself. A list `markedUnique` has none.
 */
export function withoutRepeatedDependencies<
  R extends { dependencies: ParsedDependency[]; diagnostics: ManifestDiagnostic[] },
>(result: R): R {
  if (isMarkedUnique(result.dependencies)) return result;
  const { dependencies, repeats } = dedupeDependencies(result.dependencies);
  if (repeats.length === 0) return result;
  const reported = new Set(result.diagnostics.flatMap((d) => (d.code === 'DUPLICATE' ? [d.line] : [])));
  const unreported = repeats.filter(
    ({ repeated }) => repeated.line === undefined || !reported.has(repeated.line),
  );
  const diagnostics = unreported
    .slice(0, MAX_REPEAT_DIAGNOSTICS)
    .map(({ repeated, first }) => repeatDiagnostic(repeated, first));
  if (unreported.length > MAX_REPEAT_DIAGNOSTICS) {
    diagnostics.push(moreRepeatsDiagnostic(unreported.length - MAX_REPEAT_DIAGNOSTICS));
  }
  return { ...result, dependencies, diagnostics: [...result.diagnostics, ...diagnostics] };
}
