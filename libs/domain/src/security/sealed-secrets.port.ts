/**
 * Every credential sealed at rest for an org (its GitHub token, per-repository logins, keys and
 * webhook secrets: any kind), seen only to delete it. Removing needs no sealing key.
 */
export interface SealedSecrets {
  /** Deletes all of the org's sealed secrets, whatever their kind; how many there were. */
  removeAllOf(orgId: string): Promise<number>;
  /** Deletes the org's secrets owned by one thing (a repository's id), whatever their kind. */
  removeOwnedBy(orgId: string, ownerId: string): Promise<number>;
}
