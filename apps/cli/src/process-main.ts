import { fstatSync, writeSync } from 'node:fs';
import type { CommandIo } from './command-io';

/**
 * Runs a CLI as the process: its arguments, the caller's directory, stdout and stderr, and the
 * exit code it resolves to. Shared by the repository's `repoguard` and the packaged one.
 */
export function runAsProcess(
  run: (argv: readonly string[], io: CommandIo) => number | Promise<number>,
  options: {
    /**
     * For commands whose every output goes through `io` (the packed `check`): the commands that
     * use the database or Temporal have libraries that may still write through process.stdout.
     */
    readonly exitWhenAnswered?: boolean;
  } = {},
): void {
  const out = stdoutWriter();
  let streamed = false;
  void Promise.resolve()
    .then(() =>
      run(process.argv.slice(2), {
        // npm and npx run a bin from elsewhere: INIT_CWD is where the user typed the command.
        cwd: process.env['INIT_CWD'] ?? process.cwd(),
        out: (text) => out.write(`${text}\n`),
        err: (text) => {
          streamed = true;
          process.stderr.write(`${text}\n`);
        },
        now: () => new Date(),
      }),
    )
    .then(
      (code) => {
        process.exitCode = code;
        // Everything was written by the time the command answered: end here rather than let Node
        // tear its heap down first (2 to 4 ms of a small check's 90), once what is queued for the
        // next turn has run (a warning Node prints on the next tick). Output that went through a
        // stream may still be queued in it, and the process then ends when the stream is drained.
        if (options.exitWhenAnswered && !streamed && !out.streamed()) setImmediate(() => process.exit(code));
      },
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
}

/**
 * Writes stdout. A file, pipe or socket is written to directly: `process.stdout` on a pipe is a
 * net.Socket, and making one loaded net, streams and their kin, about 4 ms of a 90 ms check in a
 * CI step reading its output. A terminal (and anything else) gets `process.stdout`, which knows
 * consoles; so does the rest of the output once a pipe left non-blocking by whoever made it is
 * full (EAGAIN), since process.stdout waits for it where a direct write cannot.
 *
 * A reader that went away (`repoguard check . | head`) is not written to again, and the command
 * still ends with its own exit code: a FAIL must not read as a pass under `set -o pipefail`.
 */
function stdoutWriter(): { write(text: string): void; streamed(): boolean } {
  let direct = writesDirectly();
  let gone = false;
  let stream: NodeJS.WriteStream | undefined;
  const viaStream = (text: string | Uint8Array) => {
    if (!stream) {
      stream = process.stdout;
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        gone = true;
      });
    }
    stream.write(text);
  };
  const write = (text: string): void => {
    if (gone) return;
    if (!direct) return viaStream(text);
    const bytes = Buffer.from(text);
    let done = 0;
    try {
      while (done < bytes.length) {
        const written = writeSync(1, bytes, done);
        // A write that takes nothing (a Windows pipe in no-wait mode) is one that would block.
        if (written === 0) break;
        done += written;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        gone = true;
        return;
      }
      if (code !== 'EAGAIN') throw error;
    }
    if (done < bytes.length) {
      direct = false;
      viaStream(bytes.subarray(done));
    }
  };
  return { write, streamed: () => stream !== undefined };
}

function writesDirectly(): boolean {
  try {
    const stats = fstatSync(1);
    return stats.isFile() || stats.isFIFO() || stats.isSocket();
  } catch {
    return false;
  }
}
