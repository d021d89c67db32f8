import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { DomainError } from '@repoguard/domain';

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

/** A refusal the operator can act on: its code, message and each field named; exit code 1. */
export function reportRefusal(io: CommandIo, error: DomainError): number {
  const details = error.details.map((d) => `  ${d.field}: ${d.problem}`).join('\n');
  io.err(`repoguard: ${error.code}: ${error.message}${details ? `\n${details}` : ''}`);
  return 1;
}
