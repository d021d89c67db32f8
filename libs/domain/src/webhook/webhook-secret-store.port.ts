/**
 * The secret an org's own GitHub webhooks are signed with, sealed at rest (one per org). Refuses
 * (ENCRYPTION_NOT_CONFIGURED) to store one when the instance has no key to seal with.
 */
export interface WebhookSecretStore {
  /** Replaces the org's secret: the old one stops opening at once. */
  seal(orgId: string, secret: string): Promise<void>;
  /** Whether there was one. */
  remove(orgId: string): Promise<boolean>;
  /** When it was last set; null when there is none. */
  updatedAt(orgId: string): Promise<Date | null>;
  /** The secret, to check a delivery's signature; null when there is none or it cannot be opened. */
  open(orgId: string): Promise<string | null>;
}
