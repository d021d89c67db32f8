import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ConfigError, describeVariable } from './config-error';

export { ConfigError, SECRET_VARIABLES } from './config-error';

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

function describe(error: ValidationError, env: Env): string[] {
  const problems = Object.values(error.constraints ?? {}).reverse();
  return [describeVariable(error.property, env[error.property], problems)];
}
