import type { OsvRecord } from '../advisory/osv-record';
import type { Ecosystem } from '../ecosystem/ecosystem.value-object';
import type { ManifestDiagnostic, ParsedDependency } from '../manifest/manifest.types';
import type { PolicyReason, PolicyStatus } from '../policy/evaluate-policy';
import type { PolicyRules } from '../policy/policy';
import type { Severity } from '../severity/severity.value-object';

export interface StoredBlob {
  readonly sha: string;
  readonly content: Uint8Array;
}

/** Manifest contents by git blob SHA, shared by every commit and repository that has them. */
export interface ManifestBlobStore {
  /** The SHAs among these that are not stored yet. */
  missing(shas: readonly string[]): Promise<string[]>;
  /** Stores them all at once; one already stored is left as it is (same SHA, same content). */
  putAll(blobs: readonly StoredBlob[]): Promise<void>;
  get(shas: readonly string[]): Promise<Map<string, Uint8Array>>;
}

export interface SnapshotManifestRecord {
  readonly path: string;
  readonly blobSha: string;
  readonly parserId: string;
  readonly diagnostics: readonly ManifestDiagnostic[];
}

export interface StoredDependency extends ParsedDependency {
  readonly id: string;
  readonly purl: string;
}

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
  /** Replaces the advisory database's answer for the snapshot (idempotent on retry). */
  replaceMatches(
    snapshot: { id: string; orgId: string },
    matches: readonly { dependencyId: string; vulnerabilityId: string }[],
  ): Promise<void>;
  matches(snapshotId: string): Promise<{ dependencyId: string; vulnerabilityId: string }[]>;
  /** The commit a stored snapshot was taken at; null when there is no such snapshot. */
  commitOf(snapshotId: string): Promise<string | null>;
}

export interface VulnerabilityCache {
  /** `modified` of the cached copies among these ids. */
  modified(ids: readonly string[]): Promise<Map<string, string>>;
  upsert(records: readonly OsvRecord[]): Promise<void>;
  get(ids: readonly string[]): Promise<Map<string, OsvRecord>>;
}

export interface DesiredFinding {
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly version: string;
  readonly manifestPath: string;
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly cvssScore: number | null;
  readonly fixedVersions: readonly string[];
}

export interface FindingSyncResult {
  readonly opened: number;
  readonly stillOpen: number;
  readonly fixed: number;
}

/** A finding still present in the repo, with its triage decision. */
export interface CurrentFinding extends DesiredFinding {
  readonly status: 'open' | 'ignored';
  /** An ignore decision lapses at this time. */
  readonly triageExpiresAt: Date | null;
}

export interface FindingRepository {
  /**
   * Makes the repo's findings match the snapshot: upserts the desired ones (first_seen kept,
   * last_seen moved), marks those no longer present `fixed`. Idempotent.
   */
  sync(input: {
    orgId: string;
    repoId: string;
    snapshotId: string;
    findings: readonly DesiredFinding[];
    now: Date;
  }): Promise<FindingSyncResult>;
  /** Open and ignored findings of the repo, for the policy. */
  current(repoId: string): Promise<CurrentFinding[]>;
}

export interface PolicyRepository {
  current(orgId: string): Promise<{ version: number; rules: PolicyRules } | null>;
}

export interface ScanRecordStart {
  readonly scanId: string;
  readonly orgId: string;
  readonly repoId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly trigger: string;
  readonly requestedBy: string | null;
  readonly ref: string | null;
}

export interface ScanRepository {
  /** Creates the scan row, or leaves it as it is when a retry already did. */
  start(scan: ScanRecordStart, now: Date): Promise<void>;
  phase(scanId: string, phase: string, update?: { commitSha?: string; snapshotId?: string }): Promise<void>;
  recordPhase(
    scanId: string,
    phase: string,
    durationMs: number,
    counts?: Record<string, number>,
  ): Promise<void>;
  complete(scanId: string, now: Date): Promise<void>;
  fail(scanId: string, code: string, message: string, now: Date): Promise<void>;
  saveEvaluation(input: {
    orgId: string;
    repoId: string;
    snapshotId: string;
    scanId: string;
    policyVersion: number | null;
    status: PolicyStatus;
    reasons: readonly PolicyReason[];
  }): Promise<void>;
  /** Sets the repository's status; a failed scan keeps an earlier verdict. */
  setRepoStatus(
    repoId: string,
    outcome: { policyStatus: PolicyStatus } | { failed: true },
    now: Date,
  ): Promise<void>;
}
