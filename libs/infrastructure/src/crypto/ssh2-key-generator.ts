import { createHash } from 'node:crypto';
import type { SshKeyGenerator, SshKeyPair } from '@repoguard/domain';
import { utils } from 'ssh2';

/** ed25519 key pairs in OpenSSH's formats, from the ssh2 package (no passphrase: sealed at rest instead). */
export class Ssh2KeyGenerator implements SshKeyGenerator {
  generate(comment: string): SshKeyPair {
    const pair = readableEd25519Pair(comment);
    const publicKey = pair.public.trim();
    return { privateKey: pair.private, publicKey, fingerprint: sshFingerprint(publicKey) };
  }
}

/**
 * ssh2 writes about 1 ed25519 key in 300 in a form its own parser refuses ("Malformed OpenSSH
 * private key"), so such a key would fail at first use: another is drawn (a few tries at most).
 */
export function readableEd25519Pair(comment?: string): { private: string; public: string } {
  for (let attempt = 1; ; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', comment === undefined ? {} : { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) || attempt >= 20) return pair;
  }
}

/** `SHA256:<unpadded base64 of the key blob>`, as `ssh-keygen -l` prints it. */
export function sshFingerprint(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error('not an OpenSSH public key line');
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/(?<!=)=+$/, '')}`;
}
