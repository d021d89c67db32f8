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
const BASE64_VALUES = new Map<string, number>([
  ...[...BASE64].map((char, value): [string, number] => [char, value]),
  ['-', 62],
  ['_', 63],
]);

/** Lower-case hex of standard or URL-safe base64, or null when it is not base64. */
function base64ToHex(text: string): string | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const body = text.slice(0, end);
  if (body.length % 4 === 1) return null;
  let hex = '';
  let bits = 0;
  let buffer = 0;
  for (const char of body) {
    const value = BASE64_VALUES.get(char);
    if (value === undefined) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += ((buffer >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
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
  const licenses = (raw.licenses ?? []).flatMap((license) =>
    typeof license === 'string' && license.trim() !== '' && license.length <= MAX_LICENSE_LENGTH
      ? [license.trim()]
      : [],
  );
  const hashes = uniqueSorted(raw.hashes ?? [], hashKey);
  const unique = uniqueSorted(licenses, (license) => license).slice(0, MAX_LICENSES);
  return {
    ...(hashes.length > 0 ? { hashes } : {}),
    ...(unique.length > 0 ? { licenses: unique } : {}),
    ...(raw.dependsOn ? { dependsOn: uniqueSorted(raw.dependsOn, refKey) } : {}),
  };
}

/** Two copies of one package merged: the union of what each says. */
export function mergeMetadata(a: DependencyMetadata, b: DependencyMetadata): DependencyMetadata {
  const graphKnown = a.dependsOn !== undefined || b.dependsOn !== undefined;
  return metadataOf({
    hashes: [...(a.hashes ?? []), ...(b.hashes ?? [])],
    licenses: [...(a.licenses ?? []), ...(b.licenses ?? [])],
    ...(graphKnown ? { dependsOn: [...(a.dependsOn ?? []), ...(b.dependsOn ?? [])] } : {}),
  });
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
