import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const KEY_BYTES = 32;
// 96-bit IVs are GCM's native size; random ones are safe for far more seals than we will make.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/** Why a stored secret could not be read. The message never carries the plaintext or a key. */
export class SecretDecryptionError extends Error {
  readonly code = 'SECRET_UNREADABLE';
  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'not_authentic',
    message: string,
  ) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

export interface SecretBoxKeys {
  /** Seals every new secret. */
  readonly current: Buffer;
  /** Retired keys: they still open what they sealed until a rotation re-seals it. */
  readonly old?: readonly Buffer[];
}

/** True when `value` is the base64 of exactly 32 bytes, as `openssl rand -base64 32` prints. */
export function isEncryptionKey(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Z0-9+/]+={0,2}$/i.test(value)) return false;
  return Buffer.from(value, 'base64').length === KEY_BYTES;
}

/** The entries of a comma-separated key list, trimmed; empty entries (`a,,b`, a trailing comma) are skipped. */
export function splitKeyList(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** The key's public name: the first 8 hex characters of its SHA-256, so no key registry is needed. */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM for credentials kept at rest. A sealed value is `v1.<keyId>.<iv>.<tag>.<ciphertext>`
 * (base64url parts): it names the key that sealed it, so old keys keep working while a rotation
 * re-seals under the current one. The AAD (e.g. `table:id:column`) binds a ciphertext to its row:
 * copied to another row it no longer opens.
 */
export class AesGcmSecretBox {
  readonly currentKeyId: string;
  private readonly current: Buffer;
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: SecretBoxKeys) {
    const named: [string, Buffer][] = [
      ['current key', keys.current],
      ...(keys.old ?? []).map((key, i): [string, Buffer] => [`old key ${i + 1}`, key]),
    ];
    for (const [name, key] of named) {
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        const length = Buffer.isBuffer(key) ? `${key.length} bytes` : 'not a Buffer';
        throw new Error(`encryption ${name} is ${length}: it must be exactly ${KEY_BYTES} bytes`);
      }
      const id = encryptionKeyId(key);
      const known = this.keys.get(id);
      // Two different keys with one id (odds 1 in 2^32) would make every open ambiguous.
      if (known && !known.equals(key)) {
        throw new Error(`encryption ${name} shares key id ${id} with another key: generate a new one`);
      }
      this.keys.set(id, Buffer.from(key));
    }
    this.current = Buffer.from(keys.current);
    this.currentKeyId = encryptionKeyId(keys.current);
  }

  /** From configuration: the current key and an optional comma-separated list of old ones, base64. */
  static fromConfig(currentB64: string, oldB64List?: string): AesGcmSecretBox {
    const old = splitKeyList(oldB64List);
    const decode = (name: string, value: string): Buffer => {
      if (!isEncryptionKey(value.trim())) {
        throw new Error(
          `encryption ${name} must be ${KEY_BYTES} random bytes, base64-encoded (openssl rand -base64 32)`,
        );
      }
      return Buffer.from(value.trim(), 'base64');
    };
    return new AesGcmSecretBox({
      current: decode('current key', currentB64),
      old: old.map((value, i) => decode(`old key ${i + 1}`, value)),
    });
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return [VERSION, this.currentKeyId, ...parts].join('.');
  }

  open(sealed: string, aad: string): string {
    const { keyId, iv, tag, ciphertext } = parse(sealed);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        'unknown_key',
        `stored secret was sealed with key ${keyId}, which is not configured (add it to the old keys)`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // OpenSSL's own message says nothing useful; ours must say nothing secret either.
      throw new SecretDecryptionError(
        'not_authentic',
        'stored secret failed authentication: it was altered or belongs to another record',
      );
    }
  }

  /** The id of the key that sealed `sealed`; throws SecretDecryptionError when it is malformed. */
  keyIdOf(sealed: string): string {
    return parse(sealed).keyId;
  }

  needsRotation(sealed: string): boolean {
    return this.keyIdOf(sealed) !== this.currentKeyId;
  }
}

function parse(sealed: string): { keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const [version, keyId, ...rest] = String(sealed).split('.');
  if (version === VERSION && keyId !== undefined && /^[0-9a-f]{8}$/.test(keyId) && rest.length === 3) {
    const [iv, tag, ciphertext] = rest.map(strictBase64Url);
    if (iv?.length === IV_BYTES && tag?.length === TAG_BYTES && ciphertext)
      return { keyId, iv, tag, ciphertext };
  }
  throw new SecretDecryptionError(
    'malformed',
    'stored secret is malformed: expected v1.<key id>.<iv>.<tag>.<ciphertext>',
  );
}

// Node's decoder skips stray characters and ignores trailing bits; only the canonical encoding of
// the bytes counts here, so every changed character is a different (and rejected) value.
function strictBase64Url(part: string): Buffer | null {
  if (!/^[\w-]*$/.test(part)) return null;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : null;
}
