import { SECRET_VARIABLES } from '../config/load-config';

/** The configured values that are secrets, whichever of them a process has. */
export function configuredSecrets(config: object): string[] {
  const values = config as Record<string, unknown>;
  return SECRET_VARIABLES.flatMap((name) =>
    typeof values[name] === 'string' ? String(values[name]).split(',') : [],
  )
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
