/**
 * Every secret RepoGuard issues starts with a visible prefix naming its kind, so a leaked token is
 * recognisable (secret scanners, logs) and the server knows where to look it up without trying each.
 */
export const TOKEN_PREFIXES = {
  personal: 'rg_pat_',
  api_key: 'rg_key_',
  invitation: 'rg_inv_',
  /** An org's webhook secret: only ever an HMAC key, never a bearer token. */
  webhook_secret: 'rg_whsec_',
  /** The `state` of a GitHub App link request: single use, bound to an org and the requesting user. */
  github_link: 'rg_ghl_',
} as const;
export type TokenKind = keyof typeof TOKEN_PREFIXES;

export function tokenKindOf(token: string): TokenKind | null {
  for (const [kind, prefix] of Object.entries(TOKEN_PREFIXES)) {
    if (token.startsWith(prefix) && token.length > prefix.length) return kind as TokenKind;
  }
  return null;
}
