import type { SshDeployKeyView, SshKeyPair } from './ssh-deploy-key';

/** What a `replace` found in place. */
export interface SshKeyReplacement {
  readonly replaced: boolean;
  /** The replaced key's fingerprint; null when there was none or it could no longer be opened. */
  readonly previousFingerprint: string | null;
}

/**
 * An org's ssh deploy key (one per org), its private half sealed at rest. Refuses
 * (ENCRYPTION_NOT_CONFIGURED) when the instance has no key to seal or open it with.
 */
export interface SshDeployKeyStore {
  /** Stores the pair, replacing the org's previous one (readable or not). */
  replace(orgId: string, pair: SshKeyPair, at: Date): Promise<SshKeyReplacement>;
  /** The public half, or null when the org has none; SSH_DEPLOY_KEY_UNREADABLE when it cannot be opened. */
  find(orgId: string): Promise<SshDeployKeyView | null>;
  /** Whether there was one (it is removed even when it can no longer be opened). */
  remove(orgId: string): Promise<boolean>;
}
