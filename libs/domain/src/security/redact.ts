/**
 * Token shapes that must never reach a log line or an error message, whoever wrote it: RepoGuard's
 * own tokens, GitHub's token families, bearer headers, JWTs and PEM private keys.
 */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\brg_(?:pat|key|inv|admin|whsec)_[\w-]{8,}/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_\w{20,}/g,
  /\b(Bearer|token)\s+[\w.~+/=-]{16,}/gi,
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export const REDACTED = '[REDACTED]';

/**
 * Replaces every known secret value (configured tokens, webhook secrets, keys) and anything shaped
 * like a token with [REDACTED]. Secrets shorter than 8 characters are ignored: redacting them would
 * mangle ordinary words, and none of ours is that short.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, scheme?: string) =>
      typeof scheme === 'string' && /^(?:bearer|token)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
    );
  }
  return out;
}
