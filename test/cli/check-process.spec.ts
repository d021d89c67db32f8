import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { sharedOsvExport } from '../support/shared-osv';

const REPO_ROOT = path.resolve(__dirname, '../..');

// The command as a CI pipeline runs it: a real process, its exit code and its stdout.
describe('repoguard check as a process', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        REPOGUARD_CACHE_DIR: process.env['REPOGUARD_CACHE_DIR'],
      },
    });

  it('exits 1 on a failing policy and prints parseable JSON', () => {
    const result = cli([
      'check',
      'test/fixtures/manifests/ugly/web',
      '--advisories',
      sharedOsvExport('npm-ghsa.zip'),
      '--format',
      'json',
    ]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { status: string; results: unknown[] };
    expect(report.status).toBe('FAIL');
    expect(report.results).toHaveLength(1);
  }, 30_000);

  it('writes to a file or pipe directly, and a reader gone away (| true) leaves the exit code a FAIL', () => {
    const args = [
      'check',
      'test/fixtures/manifests/ugly/web',
      '--advisories',
      sharedOsvExport('npm-ghsa.zip'),
    ];
    const command = [process.execPath, '-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args]
      .map((a) => `'${a}'`)
      .join(' ');
    const env = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      REPOGUARD_CACHE_DIR: process.env['REPOGUARD_CACHE_DIR'],
    };
    // `true` exits at once; the report comes later, to a closed pipe: no trace, and the FAIL stands.
    const gone = spawnSync('bash', ['-c', `${command} | true; exit "\${PIPESTATUS[0]}"`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env,
    });
    expect([gone.status, gone.stderr]).toEqual([1, '']);
    // Through a pipe to a reader that stays, the whole table arrives.
    const read = spawnSync('bash', ['-c', `${command} | cat; exit "\${PIPESTATUS[0]}"`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env,
    });
    expect(read.status).toBe(1);
    expect(read.stdout).toMatch(/^Policy: FAIL$/m);
  }, 60_000);

  it('exits 2 on a usage error', () => {
    const result = cli(['check']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/name at least one file or directory/);
  }, 30_000);
});
