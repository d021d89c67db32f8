import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sharedOsvExport } from '../support/shared-osv';

const REPO_ROOT = path.resolve(__dirname, '../..');

// The command as a CI pipeline runs it: a real process, its exit code and its stdout.
describe('repoguard check as a process', () => {
  const ENV = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    REPOGUARD_CACHE_DIR: process.env['REPOGUARD_CACHE_DIR'],
  };
  const CLI = [process.execPath, '-r', '@swc-node/register', 'apps/cli/src/main.ts'];
  const cli = (args: string[]) =>
    spawnSync(CLI[0]!, [...CLI.slice(1), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: ENV });
  /** The check with its output piped through `reader` (a shell pipeline), and its own exit code. */
  const piped = (args: string[], reader: string) => {
    const command = [...CLI, ...args].map((a) => `'${a}'`).join(' ');
    return spawnSync('bash', ['-c', `${command} ${reader}; exit "\${PIPESTATUS[0]}"`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: ENV,
    });
  };

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
    // `true` exits at once; the report comes later, to a closed pipe: no trace, and the FAIL stands.
    const gone = piped(args, '| true');
    expect([gone.status, gone.stderr]).toEqual([1, '']);
    // Through a pipe to a reader that stays, the whole table arrives.
    const read = piped(args, '| cat');
    expect(read.status).toBe(1);
    expect(read.stdout).toMatch(/^Policy: FAIL$/m);
  }, 60_000);

  it('hands the rest of its output to process.stdout when a non-blocking pipe is full, losing nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-eagain-'));
    try {
      const packages = Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [`node_modules/pkg-${i}`, { version: '1.0.0' }]),
      );
      writeFileSync(
        path.join(dir, 'package-lock.json'),
        JSON.stringify({ name: 'big', lockfileVersion: 3, packages: { '': { name: 'big' }, ...packages } }),
      );
      const advisories = path.join(dir, 'advisories');
      mkdirSync(advisories);
      writeFileSync(
        path.join(advisories, 'GHSA-test.json'),
        JSON.stringify({
          id: 'GHSA-test',
          modified: '2026-01-01T00:00:00Z',
          affected: [
            {
              package: { ecosystem: 'npm', name: 'pkg-7' },
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
            },
          ],
          database_specific: { severity: 'HIGH' },
        }),
      );
      // Not JSON: its warning goes to stderr first, which (2>&1: one pipe) makes the pipe
      // non-blocking; the reader sleeps, the pipe fills, and a direct write meets EAGAIN.
      writeFileSync(path.join(advisories, 'broken.json'), '{');
      const result = piped(
        ['check', dir, '--advisories', advisories, '--format', 'json'],
        '2>&1 | (sleep 1; cat)',
      );
      expect(result.status).toBe(1);
      const [warning, ...rest] = result.stdout.split('\n');
      expect(warning).toMatch(/^warning: 1 entry of .* skipped/);
      const report = JSON.parse(rest.join('\n')) as {
        results: { dependencies: unknown[]; findings: unknown[] }[];
      };
      expect(report.results[0]!.dependencies).toHaveLength(3000);
      expect(report.results[0]!.findings).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 2 on a usage error', () => {
    const result = cli(['check']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/name at least one file or directory/);
  }, 30_000);
});
