import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads an app's config class from the environment and validates it once, at boot. Property
 * names are the variable names, so every message names the variable to fix.
 */
export function loadConfig<T extends object>(schema: new () => T, env: Env = process.env): T {
  // Empty strings mean "not set", as in a .env file with `VAR=`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(schema, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(errors.flatMap((error) => describe(error, present)));
  return config;
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

// One line per variable, quoting what was set (not the converted value, which may be NaN) unless
// the variable holds a secret: a boot error must not print a key that was almost right.
function describe(error: ValidationError, env: Env): string[] {
  const raw = env[error.property];
  const value =
    raw === undefined
      ? 'is not set'
      : SECRET_VARIABLES.includes(error.property)
        ? 'is set (value hidden)'
        : `is ${JSON.stringify(raw)}`;
  const problems = Object.values(error.constraints ?? {}).reverse();
  return [`${error.property} ${value}: ${problems.join('; ')}`];
}
