/**
 * An org's own GitHub token, sealed at rest. Refuses (ENCRYPTION_NOT_CONFIGURED) to store or remove
 * one when the instance has no key to seal with.
 */
export interface GithubTokenStore {
  seal(orgId: string, token: string): Promise<void>;
  /** Whether there was one. */
  remove(orgId: string): Promise<boolean>;
  /** When it was last set; null when there is none. */
  updatedAt(orgId: string): Promise<Date | null>;
}
