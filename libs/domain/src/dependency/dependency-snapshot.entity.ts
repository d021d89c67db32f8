import type { ManifestDiagnostic, ParsedDependency } from '../manifest/manifest.types';

/** What a scan read at one commit: the manifests, what they said, and their dependencies. */
export interface DependencySnapshot {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly commitSha: string;
  readonly createdAt: Date;
  readonly manifests: readonly {
    readonly path: string;
    readonly parserId: string;
    readonly diagnostics: readonly ManifestDiagnostic[];
  }[];
}

export interface Dependency extends ParsedDependency {
  readonly id: string;
  readonly snapshotId: string;
  readonly purl: string;
}
