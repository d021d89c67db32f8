import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_PREFIXES, type IssuedToken, type TokenIssuer, type TokenKind } from '@repoguard/domain';

// 32 random bytes: guessing is hopeless, so a fast unsalted SHA-256 is enough to store them
// (GitHub stores its tokens the same way); a slow password hash would only slow every request.
const SECRET_BYTES = 32;
const VISIBLE_SECRET_CHARS = 6;

export function issueToken(kind: TokenKind): IssuedToken {
  const token = `${TOKEN_PREFIXES[kind]}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return {
    token,
    hash: hashToken(token),
    prefix: token.slice(0, TOKEN_PREFIXES[kind].length + VISIBLE_SECRET_CHARS),
  };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares secrets in constant time, whatever their lengths. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** Random opaque tokens with their kind's prefix, stored as SHA-256. */
export class OpaqueTokenIssuer implements TokenIssuer {
  issue(kind: TokenKind): IssuedToken {
    return issueToken(kind);
  }

  hash(token: string): string {
    return hashToken(token);
  }
}
