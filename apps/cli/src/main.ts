import { runCli } from './cli';

void Promise.resolve()
  .then(() =>
    runCli(process.argv.slice(2), {
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
