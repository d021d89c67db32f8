import { type CommandIo, UsageError } from './command-io';

export interface CliCommand {
  readonly name: string;
  /** Its line in `repoguard --help`. */
  readonly summary: string;
  /** What `repoguard <name> --help` prints: usage, options and exit codes. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo, env: NodeJS.ProcessEnv): Promise<number>;
}

/** `repoguard --help` for a set of commands (the full CLI, or the package's check alone). */
export function usageOf(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: repoguard <command> [options]
       repoguard <command> --help

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help  this overview; after a command, that command's usage, options and exit codes

Exit codes: 0 success, 1 the command failed (each command's --help says when), 2 usage errors.`;
}

const HELP = new Set(['--help', '-h', 'help']);

/**
 * Dispatches a command; returns the exit code (2 for usage errors, as documented). `--help`
 * anywhere among a command's options prints its usage on stdout and runs nothing.
 */
export function dispatch(
  commands: readonly CliCommand[],
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): number | Promise<number> {
  const usage = usageOf(commands);
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage);
    return 2;
  }
  // `repoguard help check` reads like `repoguard check --help`.
  const [wanted, args] = HELP.has(name) ? [rest[0], ['--help']] : [name, rest];
  if (wanted === undefined) {
    io.out(usage);
    return 0;
  }
  const command = commands.find((c) => c.name === wanted);
  if (!command) {
    io.err(`repoguard: unknown command "${wanted}"\n\n${usage}`);
    return 2;
  }
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return command.run(args, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
  } catch (error) {
    return usageOrThrow(error, command, io);
  }
}

function usageOrThrow(error: unknown, command: CliCommand, io: CommandIo): number {
  if (error instanceof UsageError) {
    io.err(`repoguard: ${error.message}\n\n${command.usage}`);
    return 2;
  }
  throw error;
}
