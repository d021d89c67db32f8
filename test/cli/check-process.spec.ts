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

  it('exits 2 on a usage error', () => {
    const result = cli(['check']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/name at least one file or directory/);
  }, 30_000);
});
