import type { TokenKind } from './token-kind';

export interface IssuedToken {
  /** The secret: shown to its owner once, never stored. */
  readonly token: string;
  /** What is stored and looked up. */
  readonly hash: string;
  /** The first characters, safe to show in lists. */
  readonly prefix: string;
}

/** Makes new secret tokens (API keys, personal tokens, invitations) and hashes presented ones. */
export interface TokenIssuer {
  issue(kind: TokenKind): IssuedToken;
  hash(token: string): string;
}
