import type { StoredDependency } from '../dependency/stored-dependency';

/** The columns of a finding that say which dependency and advisory it is. */
export interface FindingIdentity {
  readonly ecosystem: string;
  readonly packageName: string;
  readonly version: string;
  readonly manifestPath: string;
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  readonly status: string;
}

/**
 * The repository's findings that one snapshot had: its dependency matched the finding's advisory
 * (or one of its aliases: a finding is named after its alias group). A finding fixed since is
 * still one of an older snapshot's; a withdrawn one is left out, as no source claims it any more.
 */
export function findingsOfSnapshot<F extends FindingIdentity>(
  dependencies: readonly Pick<StoredDependency, 'id' | 'ecosystem' | 'name' | 'version' | 'manifestPath'>[],
  matches: readonly { readonly dependencyId: string; readonly vulnerabilityId: string }[],
  findings: readonly F[],
): F[] {
  const matchedIds = new Map<string, Set<string>>();
  for (const m of matches) {
    const ids = matchedIds.get(m.dependencyId) ?? new Set<string>();
    ids.add(m.vulnerabilityId);
    matchedIds.set(m.dependencyId, ids);
  }
  const idsByIdentity = new Map<string, Set<string>>();
  for (const d of dependencies) {
    const ids = matchedIds.get(d.id);
    if (ids && d.version !== null)
      idsByIdentity.set(identity(d.ecosystem, d.name, d.version, d.manifestPath), ids);
  }
  return findings.filter((f) => {
    if (f.status === 'withdrawn') return false;
    const ids = idsByIdentity.get(identity(f.ecosystem, f.packageName, f.version, f.manifestPath));
    return ids !== undefined && [f.vulnerabilityId, ...f.aliases].some((id) => ids.has(id));
  });
}

const identity = (ecosystem: string, name: string, version: string, manifestPath: string): string =>
  [ecosystem, name, version, manifestPath].join('\u0000');
