import { utils } from 'ssh2';
import { Ssh2KeyGenerator, sshFingerprint } from './ssh2-key-generator';

describe('Ssh2KeyGenerator', () => {
  it('makes an ed25519 pair in OpenSSH formats whose halves belong together', () => {
    const pair = new Ssh2KeyGenerator().generate('repoguard-acme');
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA[A-Za-z0-9+/]+=* repoguard-acme$/);
    const privateKey = utils.parseKey(pair.privateKey);
    if (privateKey instanceof Error || Array.isArray(privateKey)) throw new Error('not one key');
    const signature = privateKey.sign(Buffer.from('challenge'));
    const publicKey = utils.parseKey(pair.publicKey);
    if (publicKey instanceof Error || Array.isArray(publicKey)) throw new Error('not one key');
    expect(publicKey.verify(Buffer.from('challenge'), signature)).toBe(true);
    expect(pair.fingerprint).toBe(sshFingerprint(pair.publicKey));
    expect(new Ssh2KeyGenerator().generate('x').fingerprint).not.toBe(pair.fingerprint);
  });

  // ssh2 writes about 1 ed25519 key in 300 in a form its own parser refuses ("Malformed OpenSSH
  // private key"): a deploy key or a test host key then fails at first use (a CI run's ssh stand-in).
  it('makes only keys ssh2 itself can read again', () => {
    const generator = new Ssh2KeyGenerator();
    const unreadable = Array.from({ length: 2_000 }, (_, i) => generator.generate(`k${i}`)).filter(
      (pair) => utils.parseKey(pair.privateKey) instanceof Error,
    );
    expect(unreadable).toEqual([]);
  });

  it('prints fingerprints as ssh-keygen does: SHA256 of the key blob, base64 without padding', () => {
    const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test';
    // What `ssh-keygen -lf` prints for this key.
    expect(sshFingerprint(line)).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
    expect(() => sshFingerprint('garbage')).toThrow();
  });
});
