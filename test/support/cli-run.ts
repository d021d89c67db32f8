import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT, SWC_ENV } from './processes';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A CLI command as a user runs it: its own process from the TypeScript entry point, with exactly
 * the environment given (plus PATH and HOME, which git and npm need), its exit code and output.
 */
export function runCliCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', path.join(REPO_ROOT, 'apps/cli/src/main.ts'), ...argv],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...SWC_ENV, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: stdout.replace(/\n$/, ''),
        stderr: stderr.replace(/\n$/, ''),
      }),
    );
  });
}
