import { normalizePackageName } from '../../../ecosystem/package-name';
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
  private readonly byKey = new Map<string, CollectedDependency>();

  constructor(private readonly manifestPath: string) {}

  add(dependency: CollectedDependency): void {
    const name = normalizePackageName('npm', dependency.name);
    const key = `${name}@${dependency.version}`;
    const seen = this.byKey.get(key);
    if (!seen) {
      this.byKey.set(key, { ...dependency, name });
      return;
    }
    const scope = SCOPE_RANK[dependency.scope] < SCOPE_RANK[seen.scope] ? dependency.scope : seen.scope;
    // Point at the declaration the project made itself when there is one.
    const line =
      dependency.direct && !seen.direct ? (dependency.line ?? seen.line) : (seen.line ?? dependency.line);
    this.byKey.set(key, { ...seen, scope, direct: seen.direct || dependency.direct, line });
  }

  toArray(): ParsedDependency[] {
    return [...this.byKey.values()].map(({ name, version, scope, direct, line }) => ({
      ecosystem: 'npm',
      name,
      version,
      scope,
      direct,
      manifestPath: this.manifestPath,
      ...(line === undefined ? {} : { line }),
    }));
  }
}
