import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * Keeps `import()` native when SWC compiles the apps from source, as tsc's node20 output does:
 * ESM-only packages (@octokit/webhooks-methods) are loaded that way and cannot be require()d.
 */
export const SWC_ENV = { SWC_NODE_IGNORE_DYNAMIC: '1' };

export interface RunningProcess {
  readonly child: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartAppOptions {
  /** Another checkout to run the app from (a benchmark's baseline commit); this one by default. */
  readonly root?: string;
  /** Flags for node itself that NODE_OPTIONS refuses (--cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

/** Starts one of the apps from its TypeScript source, as `npm run up` does from dist. */
export function startApp(
  entry: string,
  env: Record<string, string | undefined>,
  { root = REPO_ROOT, nodeArgs = [] }: StartAppOptions = {},
): RunningProcess {
  const args = [...nodeArgs, '-r', '@swc-node/register', path.join(root, entry)];
  const child = spawn(process.execPath, args, {
    cwd: root,
    // Tests wait for the apps' lifecycle lines (`polling`, `listening`), which are info lines.
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'info', ...SWC_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  return {
    child,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`process exited before printing ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async exited(timeoutMs = 30_000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          exit,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`still running after ${timeoutMs} ms:\n${output}`)),
              timeoutMs,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
