import type { CommandIo } from './command-io';

/**
 * Runs a CLI as the process: its arguments, the caller's directory, stdout and stderr, and the
 * exit code it resolves to. Shared by the repository's `repoguard` and the packaged one.
 */
export function runAsProcess(
  run: (argv: readonly string[], io: CommandIo) => number | Promise<number>,
): void {
  // The reader went away (`repoguard --help | head`): what is left to print has no one to read
  // it, so stop quietly with the command's own exit code, as other command-line tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });

  void Promise.resolve()
    .then(() =>
      run(process.argv.slice(2), {
        // npm and npx run a bin from elsewhere: INIT_CWD is where the user typed the command.
        cwd: process.env['INIT_CWD'] ?? process.cwd(),
        out: (text) => process.stdout.write(`${text}\n`),
        err: (text) => process.stderr.write(`${text}\n`),
        now: () => new Date(),
      }),
    )
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
}
