// What a config class says about an environment, for the hostile-value specs of each app's config.
import { ConfigError, loadConfig } from '@repoguard/infrastructure';

/** A production environment with only the required variables, which specs add to. */
export const MINIMAL_ENV = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', NODE_ENV: 'production' };

/** The problems `loadConfig` reports for MINIMAL_ENV plus `env` ([] when it loads). */
export function configProblems<T extends object>(
  configClass: new () => T,
  env: Record<string, string>,
): string[] {
  try {
    loadConfig(configClass, { ...MINIMAL_ENV, ...env });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}
