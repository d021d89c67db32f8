import type { ManifestDiagnostic } from '../manifest/manifest.types';
import type { CountedPage, PageRequest } from '../shared/page-request';

export interface SnapshotRecord {
  readonly id: string;
  readonly repoId: string;
  readonly commitSha: string;
  readonly createdAt: Date;
  readonly manifests: readonly {
    readonly path: string;
    readonly parserId: string;
    readonly blobSha: string;
    readonly diagnostics: readonly ManifestDiagnostic[];
  }[];
}

export interface ListedDependency {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string | null;
  readonly specifier: string | null;
  readonly scope: string;
  readonly direct: boolean;
  readonly manifestPath: string;
  readonly line: number | null;
  readonly purl: string;
}

/** Snapshots as they are read back. */
export interface SnapshotQueries {
  get(repoId: string, snapshotId: string): Promise<SnapshotRecord | null>;
  /** By manifest, then name. */
  dependencies(snapshotId: string, page: PageRequest): Promise<CountedPage<ListedDependency>>;
}
