import { normalizePackageName } from '../../../ecosystem/package-name';
import { markedUnique } from '../../dedupe-dependencies';
import { hasMetadata, mergeMetadata, withMetadata, type DependencyMetadata } from '../../dependency-metadata';
import type { DependencyRef, DependencyScope, ParsedDependency } from '../../manifest.types';

export interface CollectedDependency {
  readonly name: string;
  readonly version: string;
  readonly scope: DependencyScope;
  readonly direct: boolean;
  readonly line?: number;
}

// The widest use wins: a package needed at run time by any path is a runtime dependency.
const SCOPE_RANK: Record<DependencyScope, number> = { runtime: 0, optional: 1, dev: 2 };

/**
 * Lock files list one package several times (nested copies, several ranges, peer variants); one
 * finding per name and version is enough, so copies merge: widest scope, direct if any copy is,
 * the union of their hashes, licences and edges.
 */
export class DependencyCollector {
  // The dependencies as returned, built once: a lock lists tens of thousands.
  private readonly byKey = new Map<string, ParsedDependency>();

  constructor(private readonly manifestPath: string) {}

  add(dependency: CollectedDependency, metadata?: DependencyMetadata): void {
    this.addPackage(
      dependency.name,
      dependency.version,
      dependency.scope,
      dependency.direct,
      dependency.line,
      metadata,
    );
  }

  /** `add` without an object to build per call. */
  addPackage(
    rawName: string,
    version: string,
    scope: DependencyScope,
    direct: boolean,
    line: number | undefined,
    metadata?: DependencyMetadata,
  ): void {
    const name = normalizePackageName('npm', rawName);
    const key = `${name}@${version}`;
    const seen = this.byKey.get(key);
    if (!seen) {
      const added = this.dependency(name, version, scope, direct, line);
      this.byKey.set(key, metadata ? withMetadata(added, metadata) : added);
      return;
    }
    const widest = SCOPE_RANK[scope] < SCOPE_RANK[seen.scope] ? scope : seen.scope;
    // Point at the declaration the project made itself when there is one.
    const at = direct && !seen.direct ? (line ?? seen.line) : (seen.line ?? line);
    const merged = this.dependency(seen.name, seen.version as string, widest, seen.direct || direct, at);
    // `seen` carries its metadata in the same three fields.
    const known: DependencyMetadata = seen;
    this.byKey.set(
      key,
      withMetadata(merged, metadata && hasMetadata(metadata) ? mergeMetadata(known, metadata) : known),
    );
  }

  /** The name and version a collected package is stored under, as edges name it. */
  refOf(rawName: string, version: string): DependencyRef {
    return { name: normalizePackageName('npm', rawName), version };
  }

  /**
   * Adds what the lock says of a package collected earlier (its edges, known once every package
   * is); nothing when it was not collected.
   */
  describe(ref: DependencyRef, metadata: DependencyMetadata): void {
    const key = `${ref.name}@${ref.version}`;
    const seen = this.byKey.get(key);
    if (seen) this.byKey.set(key, withMetadata(seen, mergeMetadata(seen, metadata)));
  }

  /** One dependency per name and version, so `parseManifest` need not look for repeats again. */
  toArray(): ParsedDependency[] {
    return markedUnique([...this.byKey.values()]);
  }

  private dependency(
    name: string,
    version: string,
    scope: DependencyScope,
    direct: boolean,
    line: number | undefined,
  ): ParsedDependency {
    const { manifestPath } = this;
    return line === undefined
      ? { ecosystem: 'npm', name, version, scope, direct, manifestPath }
      : { ecosystem: 'npm', name, version, scope, direct, manifestPath, line };
  }
}
