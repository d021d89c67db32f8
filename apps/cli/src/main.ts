import { runCli } from './cli';

process.exitCode = runCli(process.argv.slice(2), {
  cwd: process.env['INIT_CWD'] ?? process.cwd(),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: () => new Date(),
});
