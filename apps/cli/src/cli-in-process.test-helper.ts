import { runCli } from './cli';
import type { CommandIo } from './command-io';

/** A CLI command run in this process from `cwd`, on a fixed clock: its exit code and output. */
export async function runCliIn(cwd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    cwd,
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
  const code = await runCli(argv, io, env);
  return { code, out, err };
}
