import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Env files often carry a PEM on one line with literal "\n": accept that form too. */
export function normalizePem(value: string): string {
  return value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;
}

export function isPrivateKeyPem(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('PRIVATE KEY')) return false;
  try {
    return createPrivateKey(normalizePem(value)).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

export function isPrivateKeyFile(path: unknown): boolean {
  if (typeof path !== 'string') return false;
  try {
    return isPrivateKeyPem(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** The app's private key from GITHUB_APP_PRIVATE_KEY or the file GITHUB_APP_PRIVATE_KEY_PATH names. */
export function githubAppPrivateKey(config: {
  GITHUB_APP_PRIVATE_KEY?: string | undefined;
  GITHUB_APP_PRIVATE_KEY_PATH?: string | undefined;
}): string | null {
  if (config.GITHUB_APP_PRIVATE_KEY) return normalizePem(config.GITHUB_APP_PRIVATE_KEY);
  if (config.GITHUB_APP_PRIVATE_KEY_PATH) return readFileSync(config.GITHUB_APP_PRIVATE_KEY_PATH, 'utf8');
  return null;
}
