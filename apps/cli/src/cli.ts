import { type CommandIo, UsageError } from './command-io';
import { ADVISORIES_IMPORT_USAGE, runAdvisoriesImport } from './commands/advisories-import.command';
import { ADVISORIES_SYNC_USAGE, runAdvisoriesSync } from './commands/advisories-sync.command';
import { CHECK_USAGE, runCheck } from './commands/check.command';
import { ORG_CREATE_USAGE, runOrgCreate } from './commands/org-create.command';
import { SECRETS_ROTATE_USAGE, runSecretsRotate } from './commands/secrets-rotate.command';
import { USER_TOKEN_USAGE, runUserToken } from './commands/user-token.command';

const USAGE = `Usage: repoguard <command> [options]

Commands:
  check <file-or-dir>... --advisories <zip-or-dir>...   scan manifests locally against OSV data
  org:create --name <n> --slug <s> --owner-email <e>     create an org and its owner (prints the owner's token)
  user:token --email <e>                                 issue a personal token for an existing user (recovery)
  secrets:rotate                                         re-encrypt stored secrets with REPOGUARD_ENCRYPTION_KEY
  advisories:import <zip-dir-or-url>... [--ecosystem e]   load OSV advisories into the local mirror
  advisories:sync <zip-dir-or-url>... [--ecosystem e]     the same through the worker, then re-match affected repos

Run "repoguard <command> --help" for a command's options.`;

const USAGES: Record<string, string> = {
  check: CHECK_USAGE,
  'org:create': ORG_CREATE_USAGE,
  'user:token': USER_TOKEN_USAGE,
  'secrets:rotate': SECRETS_ROTATE_USAGE,
  'advisories:import': ADVISORIES_IMPORT_USAGE,
  'advisories:sync': ADVISORIES_SYNC_USAGE,
};

/**
 * Dispatches a command; returns the exit code (2 for usage errors, as documented). Commands that
 * talk to the database or to worker threads (`check`) answer with a promise.
 */
export function runCli(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return runCheck(rest, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
      case 'org:create':
        return runOrgCreate(rest, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
      case 'user:token':
        return runUserToken(rest, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
      case 'secrets:rotate':
        return runSecretsRotate(rest, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
      case 'advisories:import':
        return runAdvisoriesImport(rest, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
      case 'advisories:sync':
        return runAdvisoriesSync(rest, io, env).catch((error: unknown) => usageOrThrow(error, command, io));
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
    return usageOrThrow(error, command, io);
  }
}

function usageOrThrow(error: unknown, command: string | undefined, io: CommandIo): number {
  if (error instanceof UsageError) {
    io.err(`repoguard: ${error.message}\n\n${USAGES[command ?? ''] ?? USAGE}`);
    return 2;
  }
  throw error;
}
