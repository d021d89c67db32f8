import type { ManifestDiagnostic } from '../manifest/manifest.types';

/** One manifest a snapshot read: where it was, which blob, which parser, what it said. */
export interface SnapshotManifestRecord {
  readonly path: string;
  readonly blobSha: string;
  readonly parserId: string;
  readonly diagnostics: readonly ManifestDiagnostic[];
}
