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
