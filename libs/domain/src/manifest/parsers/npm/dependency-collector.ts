import { normalizePackageName } from '../../../ecosystem/package-name';
import { markedUnique } from '../../dedupe-dependencies';
import type { DependencyScope, ParsedDependency } from '../../manifest.types';

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
 * finding per name and version is enough, so copies merge: widest scope, direct if any copy is.
 */
export class DependencyCollector {
  // The dependencies as returned, built once: a lock lists tens of thousands.
  private readonly byKey = new Map<string, ParsedDependency>();

  constructor(private readonly manifestPath: string) {}

  add(dependency: CollectedDependency): void {
    this.addPackage(
      dependency.name,
      dependency.version,
      dependency.scope,
      dependency.direct,
      dependency.line,
    );
  }

  /** `add` without an object to build per call. */
  addPackage(
    rawName: string,
    version: string,
    scope: DependencyScope,
    direct: boolean,
    line: number | undefined,
  ): void {
    const name = normalizePackageName('npm', rawName);
    const key = `${name}@${version}`;
    const seen = this.byKey.get(key);
    if (!seen) {
      this.byKey.set(key, this.dependency(name, version, scope, direct, line));
      return;
    }
    const widest = SCOPE_RANK[scope] < SCOPE_RANK[seen.scope] ? scope : seen.scope;
    // Point at the declaration the project made itself when there is one.
    const at = direct && !seen.direct ? (line ?? seen.line) : (seen.line ?? line);
    this.byKey.set(
      key,
      this.dependency(seen.name, seen.version as string, widest, seen.direct || direct, at),
    );
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
