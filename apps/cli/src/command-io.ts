import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command may touch of its process, so tests can run commands in-process. */
export interface CommandIo {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  now(): Date;
}

/** Bad arguments: printed with the usage and exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** node:util's parseArgs, its complaints (unknown option, missing value) as usage errors. */
export function parseCommandArgs<T extends Omit<ParseArgsConfig, 'args'>>(
  argv: readonly string[],
  config: T,
) {
  try {
    return parseArgs({ ...config, args: [...argv] });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
