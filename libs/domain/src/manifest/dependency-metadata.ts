import type { DependencyHash, DependencyRef, ParsedDependency } from './manifest.types';

/** What a lock file says of a package beyond its version; each part absent when it says nothing. */
export interface DependencyMetadata {
  readonly hashes?: readonly DependencyHash[];
  readonly licenses?: readonly string[];
  readonly dependsOn?: readonly DependencyRef[];
}

type Algorithm = DependencyHash['algorithm'];

// Digest length in bytes: a value of another length is not that algorithm's digest.
const DIGEST_BYTES: Record<Algorithm, number> = {
  MD5: 16,
  'SHA-1': 20,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};
const SRI_ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
// SPDX expressions are short; anything longer is not a licence a tool wrote.
const MAX_LICENSE_LENGTH = 256;
const MAX_LICENSES = 32;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// By char code: the 6 bits a standard or URL-safe base64 character stands for, -1 for any other.
const BASE64_VALUES = new Int8Array(128).fill(-1);
[...BASE64].forEach((char, value) => (BASE64_VALUES[char.charCodeAt(0)] = value));
BASE64_VALUES['-'.charCodeAt(0)] = 62;
BASE64_VALUES['_'.charCodeAt(0)] = 63;
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lower-case hex of standard or URL-safe base64, or null when it is not base64. */
function base64ToHex(text: string): string | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end % 4 === 1) return null;
  // Joined once: a lock holds tens of thousands of digests, and `+=` per byte leaves garbage.
  const bytes: string[] = [];
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (BASE64_VALUES[code] as number) : -1;
    if (value === -1) return null;
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push(HEX_BYTES[(buffer >> bits) & 0xff] as string);
    }
  }
  return bytes.join('');
}

/**
 * Digests of a Subresource Integrity string as npm, pnpm and yarn record them
 * (`sha512-<base64>`, several separated by spaces); unknown algorithms and malformed digests are left out.
 */
export function sriHashes(integrity: unknown): DependencyHash[] {
  if (typeof integrity !== 'string') return [];
  const hashes: DependencyHash[] = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const dash = token.indexOf('-');
    const algorithm = SRI_ALGORITHMS[token.slice(0, dash).toLowerCase()];
    if (dash <= 0 || !algorithm) continue;
    const digest = token.slice(dash + 1).split('?')[0] as string;
    const content = base64ToHex(digest);
    if (content !== null && content.length === DIGEST_BYTES[algorithm] * 2)
      hashes.push({ algorithm, content });
  }
  return hashes;
}

/** A hex digest as a lock file records it (Cargo's checksum, composer's shasum), when it is one. */
export function hexHash(algorithm: Algorithm, digest: unknown): DependencyHash[] {
  if (typeof digest !== 'string') return [];
  const content = digest.trim().toLowerCase();
  if (content.length !== DIGEST_BYTES[algorithm] * 2 || !/^[0-9a-f]+$/.test(content)) return [];
  return [{ algorithm, content }];
}

function uniqueSorted<T>(items: readonly T[], key: (item: T) => string): T[] {
  // Most packages have one hash, one licence, a few edges: no map to build for those.
  if (items.length <= 1) return [...items];
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

const hashKey = (hash: DependencyHash) => `${hash.algorithm}\u0000${hash.content}`;
const refKey = (ref: DependencyRef) => `${ref.name}\u0000${ref.version}`;

/**
 * The metadata in one order whatever order the lock file gave it in: no repeats, sorted, licences
 * trimmed and bounded, hashes and licences left out when there are none. An empty `dependsOn` is
 * kept: the lock file gives the graph and this package has no dependencies.
 */
export function metadataOf(raw: {
  readonly hashes?: readonly DependencyHash[];
  readonly licenses?: readonly unknown[];
  readonly dependsOn?: readonly DependencyRef[];
}): DependencyMetadata {
  const licenses: string[] = [];
  for (const license of raw.licenses ?? []) {
    if (typeof license !== 'string' || license.length > MAX_LICENSE_LENGTH) continue;
    const trimmed = license.trim();
    if (trimmed !== '') licenses.push(trimmed);
  }
  // Assigned rather than spread in: this runs once or twice per package of every lock.
  const metadata: { -readonly [K in keyof DependencyMetadata]: DependencyMetadata[K] } = {};
  if (raw.hashes && raw.hashes.length > 0) metadata.hashes = uniqueSorted(raw.hashes, hashKey);
  if (licenses.length > 0)
    metadata.licenses = uniqueSorted(licenses, (license) => license).slice(0, MAX_LICENSES);
  if (raw.dependsOn) metadata.dependsOn = uniqueSorted(raw.dependsOn, refKey);
  return metadata;
}

/** Two copies of one package merged: the union of what each says. */
export function mergeMetadata(a: DependencyMetadata, b: DependencyMetadata): DependencyMetadata {
  return metadataOf({
    hashes: union(a.hashes, b.hashes),
    licenses: union(a.licenses, b.licenses),
    dependsOn: union(a.dependsOn, b.dependsOn),
  });
}

function union<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : [...a, ...b];
}

/** True when the dependency carries any of the three. */
export function hasMetadata(dependency: DependencyMetadata): boolean {
  return (
    dependency.hashes !== undefined || dependency.licenses !== undefined || dependency.dependsOn !== undefined
  );
}

/** The dependency with the metadata's parts set, as `metadataOf` keeps them (empty hashes are none). */
export function withMetadata<T extends ParsedDependency>(dependency: T, metadata: DependencyMetadata): T {
  if (!hasMetadata(metadata)) return dependency;
  const kept = metadataOf(metadata);
  return hasMetadata(kept) ? { ...dependency, ...kept } : dependency;
}
