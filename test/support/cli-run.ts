import { runCli } from '../../apps/cli/src/cli';
import type { CommandIo } from '../../apps/cli/src/command-io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI command in-process, as main.ts runs it, with exactly the environment given. */
export async function runCliCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    cwd: process.cwd(),
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => new Date(),
  };
  const code = await runCli(argv, io, env);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
