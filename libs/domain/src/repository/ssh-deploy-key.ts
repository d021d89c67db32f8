/** An org's ssh deploy key as generated: the private half is sealed at rest and never shown. */
export interface SshKeyPair {
  /** OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`). */
  readonly privateKey: string;
  /** One authorized_keys line: `ssh-ed25519 AAAA... repoguard-<org>`. */
  readonly publicKey: string;
  /** `SHA256:<base64>`, as `ssh-keygen -l` and git servers print it. */
  readonly fingerprint: string;
}

/** What anyone in the org may see of its deploy key: the public half, to add to repositories. */
export interface SshDeployKeyView {
  readonly publicKey: string;
  readonly fingerprint: string;
  /** When this key pair was generated (a rotation replaces it). */
  readonly createdAt: Date;
}
