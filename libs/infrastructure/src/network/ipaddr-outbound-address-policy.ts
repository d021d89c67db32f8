import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { OutboundAddressPolicy, OutboundVerdict } from '@repoguard/domain';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Every address a name resolves to, in the resolver's order. */
export type HostLookup = (host: string) => Promise<readonly string[]>;

export interface IpaddrOutboundAddressPolicyOptions {
  /**
   * What the operator opened (GIT_ALLOWED_HOSTS): host names (trusted whatever they resolve to),
   * addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`) that may be reached although not public.
   */
  readonly allowedHosts?: readonly string[];
  /** The system resolver by default (getaddrinfo, as git, curl and ssh use it). */
  readonly lookup?: HostLookup;
}

// Global unicast IPv6 is allocated from 2000::/3 only; anything else (IPv4-compatible ::a.b.c.d,
// discard, deprecated site-local, NAT64 local use, ...) is no public server.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const RANGE_NAMES: Record<string, string> = {
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT (shared)',
  uniqueLocal: 'unique local (private)',
  ipv4Mapped: 'IPv4-mapped',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
  '6to4': '6to4',
};

const systemLookup: HostLookup = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((found) => found.address);

/**
 * Public unicast addresses only, classified by ipaddr.js: loopback, private (RFC 1918, 100.64/10,
 * fc00::/7), link-local (169.254.169.254 included), unspecified, multicast, broadcast, reserved and
 * the IPv6 forms that embed an IPv4 address are refused, in any notation (decimal, hex, octal,
 * short, IPv4-mapped), unless the operator opened them. A name is resolved once; every address it
 * got must pass, and the first is the one to connect to.
 */
export class IpaddrOutboundAddressPolicy implements OutboundAddressPolicy {
  private readonly names: ReadonlySet<string>;
  private readonly ranges: readonly [Address, number][];
  private readonly lookup: HostLookup;

  constructor(options: IpaddrOutboundAddressPolicyOptions = {}) {
    const allowed = parseAllowedHosts(options.allowedHosts ?? []);
    this.names = new Set(allowed.names);
    this.ranges = allowed.ranges;
    this.lookup = options.lookup ?? systemLookup;
  }

  async judge(written: string): Promise<OutboundVerdict> {
    const host = written.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const literal = ipaddr.isValid(host);
    let addresses: Address[];
    if (literal) {
      addresses = [ipaddr.parse(host)];
    } else {
      if (!host) return { allowed: false, reason: 'unresolvable' };
      const found = await this.lookup(host).catch(() => [] as readonly string[]);
      addresses = found.filter((a) => ipaddr.isValid(a)).map((a) => ipaddr.parse(a));
      if (addresses.length === 0) return { allowed: false, reason: 'unresolvable' };
    }
    const unmapped = addresses.map(withoutMapping);
    if (!this.names.has(host)) {
      for (const address of unmapped) {
        if (this.opened(address)) continue;
        const range = forbiddenRange(address);
        if (range)
          return { allowed: false, reason: 'forbidden', range: RANGE_NAMES[range] ?? range, literal };
      }
    }
    const pin = unmapped[0]!;
    return {
      allowed: true,
      pin: { host, address: pin.toString(), family: pin.kind() === 'ipv4' ? 4 : 6 },
    };
  }

  private opened(address: Address): boolean {
    return this.ranges.some(
      ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
    );
  }
}

/** The range an address must not be reached in, or null for a public unicast address. */
export function forbiddenRange(address: Address): string | null {
  const range = address.range();
  if (range !== 'unicast') return range;
  if (address.kind() === 'ipv6' && !address.match(GLOBAL_UNICAST_V6)) return 'non-global';
  return null;
}

/** ::ffff:a.b.c.d is a.b.c.d: judged (and connected to) as IPv4. */
function withoutMapping(address: Address): Address {
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

/**
 * GIT_ALLOWED_HOSTS as a list of entries: a host name, an address (IPv4 as a dotted quad, IPv6
 * with or without brackets) or a CIDR range. Throws on the first entry that is none of these.
 */
export function parseAllowedHosts(entries: readonly string[]): {
  names: string[];
  ranges: [Address, number][];
} {
  const names: string[] = [];
  const ranges: [Address, number][] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [written = '', bits, ...rest] = entry.split('/');
    const base = written.replace(/^\[(.*)\]$/, '$1');
    const v4 = ipaddr.IPv4.isValidFourPartDecimal(base);
    const v6 = !v4 && base.includes(':') && ipaddr.IPv6.isValid(base);
    if (v4 || v6) {
      const max = v4 ? 32 : 128;
      const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (rest.length > 0 || !(prefix >= 0 && prefix <= max)) throw new Error(`${raw}: not a CIDR range`);
      ranges.push([ipaddr.parse(base), prefix]);
    } else if (bits === undefined && HOST_NAME.test(entry) && !ipaddr.isValid(entry)) {
      names.push(entry.replace(/\.$/, ''));
    } else {
      throw new Error(`${raw}: not a host name, an address (IPv4 as a dotted quad) or a CIDR range`);
    }
  }
  return { names, ranges };
}

/** GIT_ALLOWED_HOSTS's entries: comma-separated, blanks ignored. */
export function splitAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}
