// The `repoguard` bin as a user runs it: `npx repoguard …` in a checkout (npm ci, no build) and
// `node bin/repoguard.js` from anywhere, its stdout clean enough to parse whole as JSON.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pypiAdvisory, writeOsvDirectory } from '../support/osv-advisories';
import { REPO_ROOT } from '../support/processes';

const BIN = path.join(REPO_ROOT, 'bin/repoguard.js');
const ENV = {
  PATH: process.env['PATH'],
  HOME: process.env['HOME'],
  REPOGUARD_CACHE_DIR: process.env['REPOGUARD_CACHE_DIR'],
};

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 120_000 });
}

describe('the repoguard bin', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-bin-'));
    mkdirSync(path.join(dir, 'project'));
    // Four pinned packages, three with an advisory (HIGH, MODERATE, LOW), one without.
    writeFileSync(
      path.join(dir, 'project/requirements.txt'),
      'alpha-pkg==1.0\nbeta-pkg==1.0\ngamma-pkg==1.0\nsafe-pkg==1.0\n',
    );
    writeOsvDirectory(path.join(dir, 'osv'), [
      pypiAdvisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'HIGH'),
      pypiAdvisory('GHSA-bbbb-bbbb-bbbb', 'beta-pkg', 'MODERATE'),
      pypiAdvisory('GHSA-cccc-cccc-cccc', 'gamma-pkg', 'LOW'),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const SUMMARY = {
    manifests: 1,
    packages_scanned: 4,
    findings_total: 3,
    by_severity: { critical: 0, high: 1, medium: 1, low: 1, unknown: 0 },
  };

  it('node bin/repoguard.js, from another directory: stdout is the JSON report with summary counts', () => {
    const result = run(
      process.execPath,
      [BIN, 'check', '.', '--advisories', '../osv', '--format', 'json'],
      path.join(dir, 'project'),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1); // HIGH fails the default policy
    const report = JSON.parse(result.stdout) as { status: string; summary: unknown };
    expect(report.status).toBe('FAIL');
    expect(report.summary).toEqual(SUMMARY);
  }, 120_000);

  it('a repository of many manifests: nothing on stderr (no listener-leak warning from the parser pool)', () => {
    const monorepo = path.join(dir, 'monorepo');
    for (let i = 0; i < 24; i++) {
      mkdirSync(path.join(monorepo, `svc-${i}`), { recursive: true });
      writeFileSync(path.join(monorepo, `svc-${i}/requirements.txt`), 'safe-pkg==1.0\n');
    }
    const result = run(
      process.execPath,
      [BIN, 'check', '.', '--advisories', '../osv', '--format', 'json'],
      monorepo,
    );
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect((JSON.parse(result.stdout) as { summary: { manifests: number } }).summary.manifests).toBe(24);
  }, 120_000);

  it('npx repoguard, offline, in the checkout: no npm banner, stdout parses whole as JSON', () => {
    // --no: never install anything; --offline: no registry, the checkout's own bin or nothing.
    const result = run(
      'npx',
      [
        '--no',
        '--offline',
        'repoguard',
        'check',
        path.join(dir, 'project'),
        '--advisories',
        path.join(dir, 'osv'),
        '--format',
        'json',
      ],
      REPO_ROOT,
    );
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as { summary: unknown }).summary).toEqual(SUMMARY);
  }, 120_000);

  it('npm run repoguard -- … keeps working (with npm’s banner before the output)', () => {
    const result = run('npm', ['run', 'repoguard', '--', '--help'], REPO_ROOT);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^> repoguard@[^\n]*\n> node bin\/repoguard\.js --help\n/m);
    expect(result.stdout).toContain('Usage: repoguard <command> [options]');
  }, 120_000);

  it('--help names every command, and each command answers its own --help', () => {
    const overview = run(process.execPath, [BIN, '--help'], dir);
    expect(overview.status).toBe(0);
    const commands = overview.stdout
      .slice(overview.stdout.indexOf('Commands:\n'), overview.stdout.indexOf('\nOptions:'))
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/)[0]!);
    expect(commands).toEqual(expect.arrayContaining(['check', 'org:create', 'advisories:import']));
    for (const command of commands) {
      const help = run(process.execPath, [BIN, command, '--help'], dir);
      expect([command, help.status, help.stderr]).toEqual([command, 0, '']);
      expect(help.stdout).toMatch(new RegExp(`^Usage: repoguard ${command}\\b`));
      expect(help.stdout).toMatch(/^Options:$/m);
      expect(help.stdout).toMatch(/^Exit codes?:/m);
    }
  }, 300_000);

  it('a reader that goes away (repoguard --help | true) ends it quietly, not with an EPIPE trace', () => {
    // `true` exits at once; the CLI writes its help a second later, to a closed pipe.
    const piped = run(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" --help | true; exit "\${PIPESTATUS[0]}"`],
      dir,
    );
    expect([piped.status, piped.stderr]).toEqual([0, '']);
  }, 120_000);

  it('an install without the TypeScript source or SWC (npm ci --omit=dev after npm run build) runs dist', () => {
    const install = path.join(dir, 'install');
    mkdirSync(path.join(install, 'bin'), { recursive: true });
    mkdirSync(path.join(install, 'dist/apps/cli/src'), { recursive: true });
    copyFileSync(BIN, path.join(install, 'bin/repoguard.js'));
    writeFileSync(
      path.join(install, 'dist/apps/cli/src/main.js'),
      'process.stdout.write(JSON.stringify({ built: true, argv: process.argv.slice(2) }));\n',
    );
    const result = run(process.execPath, [path.join(install, 'bin/repoguard.js'), 'check', '--help'], dir);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ built: true, argv: ['check', '--help'] });

    rmSync(path.join(install, 'dist'), { recursive: true });
    const neither = run(process.execPath, [path.join(install, 'bin/repoguard.js'), '--help'], dir);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/npm ci.*npm run build/);
  }, 60_000);
});
