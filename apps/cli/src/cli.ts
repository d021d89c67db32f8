import { type CommandIo, UsageError } from './command-io';
import { ADVISORIES_IMPORT_USAGE, runAdvisoriesImport } from './commands/advisories-import.command';
import { ADVISORIES_SYNC_USAGE, runAdvisoriesSync } from './commands/advisories-sync.command';
import { CHECK_USAGE, runCheck } from './commands/check.command';
import { ORG_CREATE_USAGE, runOrgCreate } from './commands/org-create.command';
import { SECRETS_ROTATE_USAGE, runSecretsRotate } from './commands/secrets-rotate.command';
import { USER_TOKEN_USAGE, runUserToken } from './commands/user-token.command';

export interface CliCommand {
  readonly name: string;
  /** Its line in `repoguard --help`. */
  readonly summary: string;
  /** What `repoguard <name> --help` prints: usage, options and exit codes. */
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo, env: NodeJS.ProcessEnv): Promise<number>;
}

/** Every command the CLI has: dispatch, the overview and each command's --help come from here. */
export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'check',
    summary: 'scan manifests locally against OSV data (no server needed)',
    usage: CHECK_USAGE,
    run: runCheck,
  },
  {
    name: 'org:create',
    summary: "create an org and its owner in the database (prints the owner's token)",
    usage: ORG_CREATE_USAGE,
    run: runOrgCreate,
  },
  {
    name: 'user:token',
    summary: 'issue a personal token for an existing user (recovery)',
    usage: USER_TOKEN_USAGE,
    run: runUserToken,
  },
  {
    name: 'secrets:rotate',
    summary: 're-encrypt stored secrets with REPOGUARD_ENCRYPTION_KEY',
    usage: SECRETS_ROTATE_USAGE,
    run: runSecretsRotate,
  },
  {
    name: 'advisories:import',
    summary: 'load OSV advisories into the local mirror',
    usage: ADVISORIES_IMPORT_USAGE,
    run: runAdvisoriesImport,
  },
  {
    name: 'advisories:sync',
    summary: 'the same through the worker, then re-match the affected repositories',
    usage: ADVISORIES_SYNC_USAGE,
    run: runAdvisoriesSync,
  },
];

const width = Math.max(...COMMANDS.map((c) => c.name.length));

export const USAGE = `Usage: repoguard <command> [options]
       repoguard <command> --help

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help  this overview; after a command, that command's usage, options and exit codes

Exit codes: 0 success, 1 the command failed (each command's --help says when), 2 usage errors.`;

const HELP = new Set(['--help', '-h', 'help']);

/**
 * Dispatches a command; returns the exit code (2 for usage errors, as documented). `--help`
 * anywhere among a command's options prints its usage on stdout and runs nothing.
 */
export function runCli(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): number | Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(USAGE);
    return 2;
  }
  // `repoguard help check` reads like `repoguard check --help`.
  const [wanted, args] = HELP.has(name) ? [rest[0], ['--help']] : [name, rest];
  if (wanted === undefined) {
    io.out(USAGE);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === wanted);
  if (!command) {
    io.err(`repoguard: unknown command "${wanted}"\n\n${USAGE}`);
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
