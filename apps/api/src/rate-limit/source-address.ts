import { isIP, isIPv4 } from 'node:net';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: what Express's `trust proxy` compiles, minus `true` and hop counts (spoofable). */
export function isTrustedProxyList(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.length > 0 && entries.every(isTrustedProxyEntry);
}

function isTrustedProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The key a source address is counted under: IPv4 as is (also when mapped into IPv6), IPv6 by its
 * /64, which one host commonly holds whole (counting single addresses would let it rotate freely).
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

/** The eight hextets of an IPv6 address (without a zone), or null when it is not one. */
function expandIpv6(ip: string): string[] | null {
  const address = ip.split('%')[0]!;
  if (isIP(address) !== 6) return null;
  const [head = '', tail] = address.split('::');
  const parts = (text: string) => (text === '' ? [] : text.split(':'));
  let left = parts(head);
  let right = tail === undefined ? [] : parts(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4 forms other than the mapped one) is two hextets.
  const last = (right.length > 0 ? right : left).at(-1);
  if (last && isIPv4(last)) {
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    const hextets = [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    if (right.length > 0) right = [...right.slice(0, -1), ...hextets];
    else left = [...left.slice(0, -1), ...hextets];
  }
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  return groups.map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
