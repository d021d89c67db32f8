/** The environment an app was started with is not one it can run with: one line per variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Variables whose values are secrets: never quoted in errors, redacted from every log line. */
export const SECRET_VARIABLES: readonly string[] = [
  'REPOGUARD_ADMIN_TOKEN',
  'GITHUB_TOKEN',
  'GITHUB_WEBHOOK_SECRET',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_APP_CLIENT_SECRET',
  'REPOGUARD_ENCRYPTION_KEY',
  'REPOGUARD_ENCRYPTION_KEYS_OLD',
  'METRICS_TOKEN',
  // May carry the SMTP login: smtp://user:password@host.
  'SMTP_URL',
];

/**
 * One line for a variable, quoting what was set (not the converted value, which may be NaN) unless
 * the variable holds a secret: a boot error must not print a key that was almost right.
 */
export function describeVariable(name: string, raw: string | undefined, problems: readonly string[]): string {
  const value =
    raw === undefined
      ? 'is not set'
      : SECRET_VARIABLES.includes(name)
        ? 'is set (value hidden)'
        : `is ${JSON.stringify(raw)}`;
  return `${name} ${value}: ${problems.join('; ')}`;
}
