import { createHash, randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../config/load-config';
import { SharedConfig } from '../config/shared-config';
import { AesGcmSecretBox, isEncryptionKey, SecretDecryptionError } from './secret-box';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const idOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);
const AAD = 'stored_secrets:5b0c5f7e-9d1f-4a57-8f57-1b0a4c1c2d3e:github_token:';
const PLAINTEXT = 'ghp_s3cr3tT0kenThatMustNeverLeak';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/';

/** What `open` threw, so a test can check both the kind of failure and what the message reveals. */
function failure(box: AesGcmSecretBox, sealed: string, aad = AAD): SecretDecryptionError {
  try {
    box.open(sealed, aad);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return error;
    throw error;
  }
  throw new Error('open accepted a value it should have refused');
}

/** `sealed` with one character of segment `segment` (0 = version ... 4 = ciphertext) changed. */
function tamper(sealed: string, segment: number): string {
  const parts = sealed.split('.');
  const part = parts[segment]!;
  const at = Math.floor(part.length / 2);
  const replacement = part[at] === 'a' ? 'b' : 'a';
  parts[segment] = `${part.slice(0, at)}${replacement}${part.slice(at + 1)}`;
  return parts.join('.');
}

describe('AesGcmSecretBox', () => {
  const box = new AesGcmSecretBox({ current: keyA });

  it.each([
    ['ascii', PLAINTEXT],
    ['unicode', 'clé secrète 🔑 秘密 — ünïcödé'],
    ['empty', ''],
    ['long', 'x'.repeat(10_000)],
  ])('opens what it sealed (%s)', (_case, plaintext) => {
    expect(box.open(box.seal(plaintext, AAD), AAD)).toBe(plaintext);
  });

  it('writes v1.<key id>.<iv>.<tag>.<ciphertext>, naming the key by the start of its SHA-256', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed.split('.')[1]).toBe(idOf(keyA));
    expect(box.currentKeyId).toBe(idOf(keyA));
    expect(box.keyIdOf(sealed)).toBe(idOf(keyA));
    expect(sealed).not.toContain(Buffer.from(PLAINTEXT).toString('base64url').slice(0, 8));
  });

  it('uses a fresh IV for every seal', () => {
    const seals = Array.from({ length: 20 }, () => box.seal(PLAINTEXT, AAD));
    expect(new Set(seals.map((s) => s.split('.')[2])).size).toBe(20);
    expect(new Set(seals).size).toBe(20);
  });

  it.each([
    ['key id', 1, 'unknown_key'],
    ['iv', 2, 'not_authentic'],
    ['tag', 3, 'not_authentic'],
    ['ciphertext', 4, 'not_authentic'],
  ] as const)('refuses a value whose %s was changed', (_case, segment, reason) => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const error = failure(box, tamper(sealed, segment));
    expect({ code: error.code, reason: error.reason }).toEqual({ code: 'SECRET_UNREADABLE', reason });
  });

  // Base64 leaves spare bits in a last character; each one must still count as a change.
  it('refuses a change to any single character', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const accepted: number[] = [];
    for (let at = 0; at < sealed.length; at += 1) {
      for (const replacement of ALPHABET) {
        if (sealed[at] === replacement) continue;
        const changed = `${sealed.slice(0, at)}${replacement}${sealed.slice(at + 1)}`;
        try {
          box.open(changed, AAD);
          accepted.push(at);
        } catch (error) {
          expect(error).toBeInstanceOf(SecretDecryptionError);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses the value under another AAD: a ciphertext cannot move to another row', () => {
    const sealed = box.seal(PLAINTEXT, 'stored_secrets:org-1:webhook_secret:repo-1');
    expect(box.open(sealed, 'stored_secrets:org-1:webhook_secret:repo-1')).toBe(PLAINTEXT);
    expect(failure(box, sealed, 'stored_secrets:org-1:webhook_secret:repo-2').reason).toBe('not_authentic');
    expect(failure(box, sealed, 'stored_secrets:org-2:webhook_secret:repo-1').reason).toBe('not_authentic');
  });

  it("refuses a value relabelled with another configured key's id", () => {
    const both = new AesGcmSecretBox({ current: keyB, old: [keyA] });
    const parts = both.seal(PLAINTEXT, AAD).split('.');
    parts[1] = idOf(keyA);
    expect(failure(both, parts.join('.')).reason).toBe('not_authentic');
  });

  it.each([
    ['an empty string', ''],
    ['plain text', PLAINTEXT],
    ['another version', 'v2.00000000.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
    ['a missing part', 'v1.00000000.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['a short tag', 'v1.00000000.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA.AAAA'],
    ['an upper-case key id', 'v1.ABCDEF01.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
  ])('refuses %s as malformed', (_case, sealed) => {
    expect(failure(box, sealed).reason).toBe('malformed');
    expect(() => box.keyIdOf(sealed)).toThrow(SecretDecryptionError);
  });

  describe('rotation', () => {
    const sealedWithA = box.seal(PLAINTEXT, AAD);
    const rotating = new AesGcmSecretBox({ current: keyB, old: [keyA] });

    it('still opens what an old key sealed, and seals new values with the current key', () => {
      expect(rotating.open(sealedWithA, AAD)).toBe(PLAINTEXT);
      const resealed = rotating.seal(PLAINTEXT, AAD);
      expect(rotating.keyIdOf(resealed)).toBe(idOf(keyB));
      expect(rotating.needsRotation(sealedWithA)).toBe(true);
      expect(rotating.needsRotation(resealed)).toBe(false);
      // A box that knows only the old key cannot read the new seal.
      expect(failure(box, resealed).reason).toBe('unknown_key');
    });

    it('cannot open a value whose key was dropped, and says which key is missing', () => {
      const error = failure(new AesGcmSecretBox({ current: keyB }), sealedWithA);
      expect(error.reason).toBe('unknown_key');
      expect(error.message).toContain(idOf(keyA));
    });
  });

  describe('keys', () => {
    it.each([
      ['a short current key', { current: randomBytes(16) }, /current key is 16 bytes/],
      ['a long current key', { current: randomBytes(33) }, /current key is 33 bytes/],
      ['a short second old key', { current: keyA, old: [keyB, randomBytes(31)] }, /old key 2 is 31 bytes/],
    ])('refuses %s, naming it', (_case, keys, message) => {
      expect(() => new AesGcmSecretBox(keys)).toThrow(message);
    });

    it('reads base64 keys from configuration, old ones comma-separated', () => {
      const fromConfig = AesGcmSecretBox.fromConfig(
        keyB.toString('base64'),
        ` ${keyA.toString('base64')} ,, `,
      );
      expect(fromConfig.currentKeyId).toBe(idOf(keyB));
      expect(fromConfig.open(box.seal(PLAINTEXT, AAD), AAD)).toBe(PLAINTEXT);
      expect(AesGcmSecretBox.fromConfig(keyA.toString('base64')).currentKeyId).toBe(idOf(keyA));
    });

    it.each([
      ['current', () => AesGcmSecretBox.fromConfig(randomBytes(16).toString('base64')), /current key/],
      ['current', () => AesGcmSecretBox.fromConfig('not base64 at all!'), /current key/],
      [
        'old',
        () => AesGcmSecretBox.fromConfig(keyA.toString('base64'), `${keyB.toString('base64')},short`),
        /old key 2/,
      ],
    ])('refuses a malformed %s key from configuration, naming it', (_case, build, message) => {
      expect(build).toThrow(message);
      expect(build).toThrow(/openssl rand -base64 32/);
    });

    it.each([
      [true, '32 bytes', randomBytes(32).toString('base64')],
      [true, '32 bytes without padding', randomBytes(32).toString('base64').replace(/=$/, '')],
      [false, '31 bytes', randomBytes(31).toString('base64')],
      [false, '48 bytes', randomBytes(48).toString('base64')],
      [false, '32 bytes in hex', randomBytes(32).toString('hex')],
      [false, '32 bytes and a stray character', `${randomBytes(32).toString('base64')}!`],
      [false, 'nothing', ''],
    ])('isEncryptionKey is %s for %s', (expected, _case, value) => {
      expect(isEncryptionKey(value)).toBe(expected);
    });
  });

  it('never puts the plaintext or a key in an error', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const errors = [
      failure(box, tamper(sealed, 4)),
      failure(box, tamper(sealed, 3)),
      failure(box, sealed, `${AAD}x`),
      failure(new AesGcmSecretBox({ current: keyB }), sealed),
      failure(box, `${sealed}.${PLAINTEXT}`),
      failure(box, PLAINTEXT),
    ];
    const secrets = [PLAINTEXT, keyA.toString('base64'), keyA.toString('hex'), keyA.toString('base64url')];
    for (const error of errors) {
      const shown = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)} ${String(error)}`;
      for (const secret of secrets) expect(shown).not.toContain(secret);
    }
  });
});

// Here rather than in load-config.spec.ts: these are the boot checks of the keys this box takes.
describe('SharedConfig encryption keys', () => {
  const DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/repoguard';
  const problem = (env: Record<string, string>): string => {
    try {
      loadConfig(SharedConfig, { DATABASE_URL, ...env });
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('the configuration was accepted');
  };

  it('accepts no key, or a valid key with valid old keys', () => {
    expect(loadConfig(SharedConfig, { DATABASE_URL }).REPOGUARD_ENCRYPTION_KEY).toBeUndefined();
    const env = {
      DATABASE_URL,
      REPOGUARD_ENCRYPTION_KEY: keyA.toString('base64'),
      REPOGUARD_ENCRYPTION_KEYS_OLD: `${keyB.toString('base64')}, ${randomBytes(32).toString('base64')}`,
    };
    const config = loadConfig(SharedConfig, env);
    expect(config.REPOGUARD_ENCRYPTION_KEY).toBe(env.REPOGUARD_ENCRYPTION_KEY);
    expect(config.REPOGUARD_ENCRYPTION_KEYS_OLD).toBe(env.REPOGUARD_ENCRYPTION_KEYS_OLD);
  });

  it('refuses a key that is not 32 bytes of base64, naming the variable', () => {
    expect(problem({ REPOGUARD_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toMatch(
      /REPOGUARD_ENCRYPTION_KEY .*must be 32 random bytes, base64-encoded \(openssl rand -base64 32\)/,
    );
    expect(problem({ REPOGUARD_ENCRYPTION_KEY: 'correct horse battery staple' })).toMatch(
      /REPOGUARD_ENCRYPTION_KEY .*must be 32 random bytes/,
    );
  });

  it('refuses a list of old keys with one that is not 32 bytes of base64', () => {
    const list = `${keyA.toString('base64')},${randomBytes(24).toString('base64')}`;
    expect(
      problem({ REPOGUARD_ENCRYPTION_KEY: keyB.toString('base64'), REPOGUARD_ENCRYPTION_KEYS_OLD: list }),
    ).toMatch(/REPOGUARD_ENCRYPTION_KEYS_OLD .*each comma-separated key must be 32 random bytes/);
  });

  // A malformed key is still mostly a key (one character too many, a truncated paste): the boot
  // error must not print it.
  it('does not print a refused key', () => {
    const almost = `${keyA.toString('base64')}x`;
    expect(problem({ REPOGUARD_ENCRYPTION_KEY: almost })).not.toContain(almost);
  });
});
