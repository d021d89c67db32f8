import { type CommandIo, UsageError } from './command-io';
import { CHECK_USAGE, runCheck } from './commands/check.command';

const USAGE = `Usage: repoguard <command> [options]

Commands:
  check <file-or-dir>... --advisories <zip-or-dir>...   scan manifests locally against OSV data

Run "repoguard <command> --help" for a command's options.`;

/** Dispatches a command; returns the exit code (2 for usage errors, as documented). */
export function runCli(argv: readonly string[], io: CommandIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return runCheck(rest, io);
      case undefined:
        io.err(USAGE);
        return 2;
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`repoguard: ${error.message}\n\n${command === 'check' ? CHECK_USAGE : USAGE}`);
      return 2;
    }
    throw error;
  }
}
