import type { CommandIo } from './command-io';
import { ADVISORIES_IMPORT_USAGE, runAdvisoriesImport } from './commands/advisories-import.command';
import { ADVISORIES_SYNC_USAGE, runAdvisoriesSync } from './commands/advisories-sync.command';
import { CHECK_COMMAND } from './commands/check.command';
import { ORG_CREATE_USAGE, runOrgCreate } from './commands/org-create.command';
import { SECRETS_ROTATE_USAGE, runSecretsRotate } from './commands/secrets-rotate.command';
import { USER_TOKEN_USAGE, runUserToken } from './commands/user-token.command';
import { type CliCommand, dispatch, usageOf } from './dispatch';

export type { CliCommand } from './dispatch';

/** Every command the CLI has: dispatch, the overview and each command's --help come from here. */
export const COMMANDS: readonly CliCommand[] = [
  CHECK_COMMAND,
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

export const USAGE = usageOf(COMMANDS);

/** Runs a command of the full CLI (see dispatch); returns the exit code. */
export function runCli(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): number | Promise<number> {
  return dispatch(COMMANDS, argv, io, env);
}
