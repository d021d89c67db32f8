import { createHash } from 'node:crypto';

/**
 * A UUID (version 8: name-based, the hash is ours) derived from a name, so a document derived from
 * another (a scan's VEX from its SBOM) has an identifier of its own that a re-export repeats.
 */
export function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
