import type { SshKeyPair } from './ssh-deploy-key';

/** Makes new ssh key pairs; `comment` ends the public key line (who the key belongs to). */
export interface SshKeyGenerator {
  generate(comment: string): SshKeyPair;
}
