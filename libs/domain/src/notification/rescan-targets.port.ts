/** The repositories an org's periodic rescan asks to scan. */
export interface RescanTargets {
  /** The org's enabled repositories in id order after `afterRepoId`, at most `limit`. */
  page(orgId: string, afterRepoId: string | null, limit: number): Promise<{ id: string }[]>;
}
