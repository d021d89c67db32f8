/**
 * A host a tenant named, resolved once and judged reachable: the connection goes to `address` and
 * nowhere else, so the name cannot be resolved again to somewhere else (DNS rebinding).
 */
export interface PinnedHost {
  /** As the URL names it: lower-case, IPv6 without brackets. */
  readonly host: string;
  /** The address to connect to, in its usual notation (dotted quad, compressed IPv6). */
  readonly address: string;
  readonly family: 4 | 6;
}

export type OutboundVerdict =
  | { readonly allowed: true; readonly pin: PinnedHost }
  /**
   * The host is, or resolves to, an address this server must not reach for a tenant (loopback,
   * private, link-local, ...). `range` names the kind of the first such address; `literal` says
   * the URL wrote the address itself rather than a name.
   */
  | {
      readonly allowed: false;
      readonly reason: 'forbidden';
      readonly range: string;
      readonly literal: boolean;
    }
  /** The name resolves to nothing. */
  | { readonly allowed: false; readonly reason: 'unresolvable' };

/**
 * Decides whether the server may open a connection to a host that someone outside named (a git
 * remote): only public unicast addresses, unless the operator opened more. Resolves a name once
 * and judges every address it got.
 */
export interface OutboundAddressPolicy {
  judge(host: string): Promise<OutboundVerdict>;
}
