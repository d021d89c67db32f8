import type { ParsedDependency } from '../manifest/manifest.types';
import type { SnapshotManifestRecord } from './snapshot-manifest-record';
import type { StoredDependency } from './stored-dependency';

/**
 * Dependency snapshots: what a scan read at one commit, and what the advisories said of it. Writes
 * refuse with REPO_DISCONNECTED, writing nothing, once the repository is gone.
 */
export interface SnapshotRepository {
  findByCommit(repoId: string, commitSha: string): Promise<{ id: string; dependencyCount: number } | null>;
  /** Saves the snapshot and its dependencies in one transaction; returns its id. */
  create(input: {
    orgId: string;
    repoId: string;
    commitSha: string;
    manifests: readonly SnapshotManifestRecord[];
    dependencies: readonly (ParsedDependency & { purl: string })[];
  }): Promise<string>;
  dependencies(snapshotId: string): Promise<StoredDependency[]>;
  /** The manifests the snapshot read, with their diagnostics; empty for an unknown snapshot. */
  manifests(snapshotId: string): Promise<SnapshotManifestRecord[]>;
  /** Replaces the advisory database's answer for the snapshot (idempotent on retry). */
  replaceMatches(
    snapshot: { id: string; orgId: string; repoId: string },
    matches: readonly { dependencyId: string; vulnerabilityId: string }[],
  ): Promise<void>;
  matches(snapshotId: string): Promise<{ dependencyId: string; vulnerabilityId: string }[]>;
  /** The commit a stored snapshot was taken at; null when there is no such snapshot. */
  commitOf(snapshotId: string): Promise<string | null>;
}
