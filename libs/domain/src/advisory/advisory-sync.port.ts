/** What one import of an advisory export did to the mirror. */
export interface AdvisoryImportReport {
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly withdrawn: number;
  /** Entries that were not usable OSV records (bad JSON, no id, `modified` not a date). */
  readonly skipped: number;
  /** The stamp of what it wrote, for finding what changed; null when it wrote nothing. */
  readonly writtenAt: string | null;
}

/** Loads an OSV export (a path or URL the operator configured) into the local advisory mirror. */
export interface AdvisoryImporter {
  importFrom(source: string): Promise<AdvisoryImportReport>;
}

/** A repository whose latest snapshot holds a package that changed advisories name. */
export interface RematchTarget {
  readonly orgId: string;
  readonly repoId: string;
  readonly owner: string;
  readonly name: string;
  readonly snapshotId: string;
}

export interface RematchTargetFinder {
  /** Enabled repositories whose latest snapshot has a package named by an advisory written at or after `writtenAt`. */
  affectedSince(writtenAt: string): Promise<RematchTarget[]>;
}
