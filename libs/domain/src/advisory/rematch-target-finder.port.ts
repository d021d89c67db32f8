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
