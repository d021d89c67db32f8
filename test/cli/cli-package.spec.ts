// The @repoguard/cli package as a CI machine gets it: `npm run pack:cli` makes a tarball, and
// `npx <tarball> check …` runs it from a directory outside the repository, with an empty npm
// cache, offline, and no way to reach the repository's node_modules.
import { execFileSync, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pypiAdvisory, writeOsvDirectory } from '../support/osv-advisories';
import { REPO_ROOT } from '../support/processes';

// Packed apart from cli.js, which requires each when first used (see scripts/pack-cli.ts).
const LIBRARIES = [
  'lib-ae-cvss-calculator.js',
  'lib-cyclonedx.js',
  'lib-fast-xml-parser.js',
  'lib-fflate.js',
  'lib-js-yaml.js',
  'lib-piscina.js',
  'lib-saxes.js',
  'lib-smol-toml.js',
  'lib-yaml.js',
  'lib-yauzl.js',
];

describe('the @repoguard/cli package (npm run pack:cli)', () => {
  let dir: string;
  let tarball: string;
  let machine: string;
  /** What a clean CI machine has: node and npm on the PATH, its own HOME and npm cache. */
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-cli-package-'));
    const stdout = execFileSync(
      process.execPath,
      ['-r', '@swc-node/register', 'scripts/pack-cli.ts', path.join(dir, 'packed')],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: process.env['HOME'] } },
    );
    tarball = stdout.trim().split('\n').pop()!;

    machine = path.join(dir, 'machine');
    mkdirSync(path.join(machine, 'project/svc'), { recursive: true });
    writeFileSync(path.join(machine, 'project/requirements.txt'), '-r base.txt\nalpha-pkg==1.0\n');
    writeFileSync(path.join(machine, 'project/base.txt'), 'beta-pkg==1.0\n');
    writeFileSync(path.join(machine, 'project/svc/requirements.txt'), 'safe-pkg==1.0\n');
    writeOsvDirectory(path.join(machine, 'osv'), [
      pypiAdvisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'HIGH'),
      pypiAdvisory('GHSA-bbbb-bbbb-bbbb', 'beta-pkg', 'LOW'),
    ]);
    // As a pipeline gets it: the tarball (a build artifact) in its working directory.
    copyFileSync(tarball, path.join(machine, path.basename(tarball)));
    env = {
      PATH: [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
      HOME: machine,
      npm_config_cache: path.join(machine, '.npm-cache'),
      npm_config_update_notifier: 'false',
    };
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const npx = (...args: string[]) =>
    // `./` makes it a file for npx (an absolute path would be taken for a command to run).
    spawnSync('npx', ['--yes', '--offline', `./${path.basename(tarball)}`, ...args], {
      cwd: machine,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('holds the bundle, its thread files and its lazily loaded libraries, depends on nothing, and names repoguard as its bin', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toEqual([
      'package/THIRD-PARTY-NOTICES.txt',
      'package/check.js',
      'package/check.js.map',
      'package/cli.js',
      ...LIBRARIES.map((file) => `package/${file}`),
      'package/package.json',
      'package/parse-manifest.worker.js',
      'package/parse-manifest.worker.js.map',
      'package/worker.js',
      'package/worker.js.map',
    ]);
    const manifest = JSON.parse(
      execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: '@repoguard/cli', bin: { repoguard: 'cli.js' } });
    expect(manifest['dependencies']).toBeUndefined();
    const notices = execFileSync('tar', ['xzOf', tarball, 'package/THIRD-PARTY-NOTICES.txt'], {
      encoding: 'utf8',
    });
    expect(notices).toMatch(/^piscina@\S+ \(MIT\)$/m);
  });

  it('packs the bundle as ASCII, with a source map naming our TypeScript files (positions only)', () => {
    const bundle = execFileSync('tar', ['xzOf', tarball, 'package/check.js'], { encoding: 'utf8' });
    // ASCII: as many UTF-8 bytes as characters.
    expect(Buffer.byteLength(bundle)).toBe(bundle.length);
    expect(bundle).toMatch(/\n\/\/# sourceMappingURL=check\.js\.map\s*$/);
    const map = JSON.parse(
      execFileSync('tar', ['xzOf', tarball, 'package/check.js.map'], { encoding: 'utf8' }),
    ) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    expect(
      map.sources.filter((source) => source.endsWith('/apps/cli/src/commands/check.command.ts')),
    ).toHaveLength(1);
    expect(map.sourcesContent).toBeUndefined();
  });

  it('requires nothing at run time but Node built-ins, its own files (and two modules it never reaches)', () => {
    const unpacked = path.join(dir, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
    const allowed = new Set([
      ...builtinModules,
      ...builtinModules.map((m) => `node:${m}`),
      ...LIBRARIES.map((file) => `./${file}`),
    ]);
    // Externals on purpose: scripts/pack-cli.ts says why neither is reached.
    const unreached = new Set(['@swc-node/register', '@napi-rs/nice']);
    for (const file of ['cli.js', 'check.js', 'parse-manifest.worker.js', 'worker.js', ...LIBRARIES]) {
      const text = readFileSync(path.join(unpacked, 'package', file), 'utf8');
      const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
      expect([file, required.filter((r) => !allowed.has(r) && !unreached.has(r))]).toEqual([file, []]);
    }
  });

  it('npx --offline <tarball> check: the JSON report and exit code, includes and worker threads included', () => {
    const result = npx('check', 'project', '--advisories', 'osv', '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1); // HIGH fails the default policy
    const report = JSON.parse(result.stdout) as {
      status: string;
      summary: unknown;
      results: { manifest_path: string; findings: { name: string }[] }[];
    };
    expect(report.status).toBe('FAIL');
    expect(report.summary).toEqual({
      manifests: 2,
      packages_scanned: 3,
      findings_total: 2,
      by_severity: { critical: 0, high: 1, medium: 0, low: 1, unknown: 0 },
    });
    // beta-pkg comes from base.txt (`-r`, first): the include was read through the parser threads.
    expect(report.results.map((r) => [r.manifest_path, r.findings.map((f) => f.name)])).toEqual([
      ['project/requirements.txt', ['beta-pkg', 'alpha-pkg']],
      ['project/svc/requirements.txt', []],
    ]);
  }, 180_000);

  it('npx --offline <tarball> check --format sarif, then --baseline: nothing new, exit 0', () => {
    const sarif = npx('check', 'project', '-a', 'osv', '-f', 'sarif');
    expect(sarif.status).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      runs: { tool: { driver: { version: string } }; results: unknown[] }[];
    };
    expect(log.runs[0]!.tool.driver.version).toBe(
      (JSON.parse(readFileSync(path.join(REPO_ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string })
        .version,
    );
    expect(log.runs[0]!.results).toHaveLength(2);

    writeFileSync(
      path.join(machine, 'baseline.json'),
      npx('check', 'project', '-a', 'osv', '-f', 'json').stdout,
    );
    const again = npx('check', 'project', '-a', 'osv', '--baseline', 'baseline.json');
    expect(again.stdout).toMatch(/^Baseline: 2 known findings left out/m);
    expect([again.status, again.stderr]).toEqual([0, '']);
  }, 180_000);

  it('keeps a code cache beside the bundle, private to the user, and replaces one it must not use', () => {
    // Written by this check, if none before it wrote one.
    const expected = npx('check', 'project', '-a', 'osv', '-f', 'json').stdout;
    const installed = readdirSync(path.join(machine, '.npm-cache/_npx')).map((hash) =>
      path.join(machine, '.npm-cache/_npx', hash, 'node_modules/@repoguard/cli'),
    );
    expect(installed).toHaveLength(1);
    const caches = () => readdirSync(installed[0]!).filter((f) => f.endsWith('.v8-cache'));
    expect(caches()).toHaveLength(1);
    const cache = path.join(installed[0]!, caches()[0]!);
    expect(statSync(cache).mode & 0o022).toBe(0);

    // Bytes V8 refuses, then a good cache others could have written: each is replaced, not used.
    const good = readFileSync(cache);
    for (const [bytes, mode] of [
      [Buffer.from('not bytecode'), 0o644],
      [good, 0o666],
    ] as const) {
      writeFileSync(cache, bytes);
      chmodSync(cache, mode);
      const result = npx('check', 'project', '-a', 'osv', '-f', 'json');
      expect([result.status, result.stderr, result.stdout]).toEqual([1, '', expected]);
      expect(statSync(cache).mode & 0o022).toBe(0);
      expect(readFileSync(cache).length).toBeGreaterThan(100_000);
    }
    expect(caches()).toHaveLength(1);

    // Help caches nothing (the bytecode of a check is what later checks need).
    rmSync(cache);
    expect(npx('check', '--help').status).toBe(0);
    expect(caches()).toHaveLength(0);
    expect(npx('check', 'project', '-a', 'osv').stdout).toMatch(/^Policy: FAIL$/m);
    expect(caches()).toHaveLength(1);

    // V8 checks a cache only against its source's length: an edit of the same length still runs.
    const bundle = path.join(installed[0]!, 'check.js');
    const original = readFileSync(bundle, 'utf8');
    const edited = original.replace('Policy: ', 'Pol1cy: ');
    expect(edited).not.toBe(original);
    expect(edited.length).toBe(original.length);
    try {
      writeFileSync(bundle, edited);
      expect(npx('check', 'project', '-a', 'osv').stdout).toMatch(/^Pol1cy: FAIL$/m);
      // The bundle is read as ASCII bytes; one edited to hold other text is decoded as UTF-8.
      writeFileSync(bundle, original.replace('Policy: ', 'Políçy: '));
      expect(npx('check', 'project', '-a', 'osv').stdout).toMatch(/^Políçy: FAIL$/m);
    } finally {
      writeFileSync(bundle, original);
    }
  }, 180_000);

  it('answers --help and a usage error as the repository CLI does', () => {
    const help = npx('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Commands:\n {2}check {2}scan manifests locally/m);
    const usage = npx('check');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/name at least one file or directory/);
  }, 180_000);
});
