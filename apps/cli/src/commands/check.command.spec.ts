import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { runCli } from '../cli';
import type { CommandIo } from '../command-io';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { buildZip } from '../../../../test/support/zip-builder';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const UGLY = 'test/fixtures/manifests/ugly';

async function run(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    cwd: REPO_ROOT,
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
  const code = await runCli(argv, io, env);
  return { code, out, err };
}

const GHSA = ['PyPI-ghsa.zip', 'npm-ghsa.zip', 'Go-ghsa.zip'].flatMap((f) => [
  '--advisories',
  sharedOsvExport(f),
]);

interface JsonFinding {
  name: string;
  version: string;
  vulnerability_id: string;
  aliases: string[];
  severity: string;
  fixed_versions: string[];
}
interface JsonResult {
  manifest_path: string;
  dependencies: { name: string; version: string | null; specifier?: string }[];
  diagnostics: { code: string }[];
  findings: JsonFinding[];
}

// Each check reads real OSV exports (PyPI-all.zip is ~40 MB): seconds on a busy machine, not a hang.
jest.setTimeout(60_000);

describe('repoguard check', () => {
  describe('on the ugly fixtures, with the GHSA exports', () => {
    let result: { code: number; out: string; err: string };
    let json: { status: string; results: JsonResult[] };

    beforeAll(async () => {
      result = await run(['check', UGLY, ...GHSA, '--format', 'json']);
      json = JSON.parse(result.out) as typeof json;
    });

    it('exits 1 because the default policy fails on CRITICAL/HIGH findings', () => {
      expect(result.code).toBe(1);
      expect(json.status).toBe('FAIL');
    });

    it('is incomplete (the truncated Pipfile.lock) but FAIL outranks it in the exit code', () => {
      expect(json).toMatchObject({
        complete: false,
        diagnostics: [
          expect.objectContaining({ path: `${UGLY}/broken/Pipfile.lock`, code: 'INVALID_SYNTAX' }),
        ],
      });
    });

    it('finds every manifest, nested ones included', () => {
      expect(json.results.map((r) => r.manifest_path)).toEqual([
        `${UGLY}/broken/Pipfile.lock`,
        `${UGLY}/requirements.txt`,
        `${UGLY}/services/api/poetry.lock`,
        `${UGLY}/tools/go.mod`,
        `${UGLY}/web/package-lock.json`,
      ]);
    });

    const finding = (manifest: string, name: string, id: string) =>
      json.results
        .find((r) => r.manifest_path.endsWith(manifest))
        ?.findings.find((f) => f.name === name && (f.vulnerability_id === id || f.aliases.includes(id)));

    it.each([
      // CVE-2022-28346: Django SQL injection in QuerySet.annotate(), CVSS 9.8, fixed in 3.2.13.
      ['requirements.txt', 'django', 'CVE-2022-28346', 'CRITICAL', ['3.2.13']],
      // CVE-2021-44906: minimist prototype pollution, CVSS 9.8, fixed in 1.2.6.
      ['package-lock.json', 'minimist', 'CVE-2021-44906', 'CRITICAL', ['1.2.6']],
      // CVE-2021-23337: lodash command injection in template, CVSS 7.2, fixed in 4.17.21.
      ['package-lock.json', 'lodash', 'CVE-2021-23337', 'HIGH', ['4.17.21']],
      // CVE-2018-18074: requests leaks Authorization on redirect, fixed in 2.20.0.
      ['requirements.txt', 'requests', 'CVE-2018-18074', 'HIGH', ['2.20.0']],
    ])('%s: %s has %s (%s), fixed in %p', (manifest, name, id, severity, fixed) => {
      const hit = finding(manifest, name, id);
      expect(hit).toMatchObject({ severity, fixed_versions: fixed });
    });

    it('reports an unpinned requirement without matching it', () => {
      const requirements = json.results.find((r) => r.manifest_path.endsWith('requirements.txt'))!;
      expect(requirements.dependencies.find((d) => d.name === 'gunicorn')).toMatchObject({
        version: null,
        specifier: '>=19.9,<20',
      });
      expect(requirements.findings.some((f) => f.name === 'gunicorn')).toBe(false);
      expect(requirements.diagnostics.map((d) => d.code)).toContain('UNPINNED');
    });

    it('reports a truncated lock file as a diagnostic and goes on with the others', () => {
      const broken = json.results[0]!;
      expect(broken.dependencies).toEqual([]);
      expect(broken.diagnostics).toEqual([
        expect.objectContaining({ code: 'INVALID_SYNTAX', severity: 'error', line: 11 }),
      ]);
    });

    it('groups a GHSA with its CVE and PYSEC aliases into one finding', () => {
      const pyyaml = json.results[1]!.findings.filter((f) => f.name === 'pyyaml');
      const ghsa = pyyaml.find((f) => f.vulnerability_id === 'GHSA-8q59-q68h-6hv4');
      expect(ghsa?.aliases).toContain('CVE-2020-14343');
      expect(
        pyyaml.filter((f) => f.aliases.includes('CVE-2020-14343') || f.vulnerability_id === 'CVE-2020-14343'),
      ).toHaveLength(1);
    });
  });

  it('matches the PYSEC database too (PyPI-all.zip) and prints a readable table', async () => {
    const { code, out } = await run([
      'check',
      `${UGLY}/requirements.txt`,
      '--advisories',
      sharedOsvExport('PyPI-all.zip'),
    ]);
    expect(out).toMatch(
      /^test\/fixtures\/manifests\/ugly\/requirements\.txt \(requirements-txt\): 7 dependencies, \d+ vulnerabilities$/m,
    );
    expect(out).toMatch(/UNKNOWN\s+jinja2\s+2\.10\s+PYSEC-2019-217\s+2\.10\.1/);
    // The exit code follows the verdict printed last.
    expect(out).toMatch(new RegExp(`^Policy: ${code === 1 ? 'FAIL' : '(OK|WARN)'}$`, 'm'));
  });

  it('prints a broken manifest as an error line, says the check is INCOMPLETE and exits 3', async () => {
    const { code, out } = await run(['check', `${UGLY}/broken`, ...GHSA]);
    expect(out).toMatch(
      /^test\/fixtures\/manifests\/ugly\/broken\/Pipfile\.lock \(pipfile-lock\): 0 dependencies, 0 vulnerabilities, 1 error$/m,
    );
    expect(out).toMatch(/^ {2}error \(line 11\): INVALID_SYNTAX /m);
    expect(out).toMatch(
      /^INCOMPLETE: 1 manifest\(s\) could not be read in full: test\/fixtures\/manifests\/ugly\/broken\/Pipfile\.lock \(INVALID_SYNTAX\)/m,
    );
    expect(out).toMatch(/^Policy: WARN\n {2}WARN incomplete: /m);
    expect(code).toBe(3);
  });

  it('fails an incomplete check with fail_on_incomplete: exit 1, the INCOMPLETE line still printed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-policy-'));
    const policy = path.join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ fail_on_incomplete: true }));
    const { code, out } = await run([
      'check',
      `${UGLY}/broken`,
      ...GHSA,
      '--policy',
      policy,
      '--format',
      'json',
    ]);
    const report = JSON.parse(out) as { status: string; complete: boolean; diagnostics: unknown[] };
    expect(report).toMatchObject({
      status: 'FAIL',
      complete: false,
      diagnostics: [
        {
          path: `${UGLY}/broken/Pipfile.lock`,
          code: 'INVALID_SYNTAX',
          message: expect.any(String),
          line: 11,
        },
      ],
    });
    expect(code).toBe(1);
  });

  it.each([
    ['an empty package-lock.json', 'package-lock.json', '', 'EMPTY_FILE'],
    ['a yarn.lock of garbage', 'yarn.lock', 'garbage: [[[\n', 'INVALID_SYNTAX'],
    [
      'a Gemfile.lock cut before DEPENDENCIES',
      'Gemfile.lock',
      'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.3)\n',
      'MISSING_FIELD',
    ],
  ])('calls %s INCOMPLETE, not OK: exit 3', async (_, name, text, code) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-unread-'));
    try {
      writeFileSync(path.join(dir, name), text);
      const result = await run(['check', dir, ...GHSA, '--format', 'json']);
      expect(JSON.parse(result.out)).toMatchObject({
        status: 'WARN',
        complete: false,
        diagnostics: [{ path: path.join(dir, name), code }],
      });
      expect(result.code).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calls a directory without a manifest INCOMPLETE, not OK: exit 3', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-empty-'));
    try {
      writeFileSync(path.join(dir, 'README.md'), '# no manifests here\n');
      const table = await run(['check', dir, ...GHSA]);
      expect(table.out).toMatch(/^No dependency manifests found\.$/m);
      expect(table.out).toMatch(/^INCOMPLETE: no dependency manifest RepoGuard reads was found/m);
      expect(table.code).toBe(3);
      const json = JSON.parse((await run(['check', dir, ...GHSA, '--format', 'json'])).out) as object;
      expect(json).toMatchObject({
        status: 'WARN',
        complete: false,
        // Every key present, as in a scan's answer: no line for a whole-check diagnostic.
        diagnostics: [{ path: null, code: 'NO_MANIFESTS', message: expect.any(String), line: null }],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the CVSS scores it computed beside its catalogs, and rates by them at the next check', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-scores-'));
    try {
      writeFileSync(path.join(dir, 'requirements.txt'), 'django==3.2.0\n');
      const cache = path.join(dir, 'cache');
      const check = async () => {
        const { out } = await run(
          ['check', dir, '--advisories', sharedOsvExport('PyPI-ghsa.zip'), '--format', 'json'],
          { ...process.env, REPOGUARD_CACHE_DIR: cache },
        );
        const report = JSON.parse(out) as { results: JsonResult[] };
        return report.results.flatMap((r) => r.findings.map((f) => f.severity));
      };
      const first = await check();
      expect(first.filter((s) => s !== 'LOW').length).toBeGreaterThan(0);
      // Every stored score made 1.0 (its header's checksum made to match, as only the file's writer
      // could): the next check rating every scored finding LOW shows it read them, not the calculator.
      const file = path.join(cache, 'osv-catalogs', 'cvss-scores.json');
      const [header, body] = readFileSync(file, 'utf8').split('\n') as [string, string];
      const forged = body.replace(/,\d+(?:\.\d+)?\]/g, ',1]');
      const newHeader = {
        ...(JSON.parse(header) as object),
        body: crc32(forged).toString(16).padStart(8, '0'),
      };
      writeFileSync(file, `${JSON.stringify(newHeader)}\n${forged}`);
      const second = await check();
      expect(second).toHaveLength(first.length);
      expect(second.every((s) => s === 'LOW' || s === 'UNKNOWN' || first.includes(s))).toBe(true);
      expect(second.filter((s) => s === 'LOW').length).toBeGreaterThan(
        first.filter((s) => s === 'LOW').length,
      );
      // Advisories from a directory have no identity to bind scores to: scored afresh, nothing kept.
      const advisories = path.join(dir, 'advisories');
      mkdirSync(advisories);
      writeFileSync(
        path.join(advisories, 'GHSA-test.json'),
        JSON.stringify({
          id: 'GHSA-test-0001',
          modified: '2024-01-01T00:00:00Z',
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
          affected: [{ package: { ecosystem: 'PyPI', name: 'django' }, versions: ['3.2.0'] }],
        }),
      );
      rmSync(file);
      const fromDirectory = await run(['check', dir, '--advisories', advisories, '--format', 'json'], {
        ...process.env,
        REPOGUARD_CACHE_DIR: cache,
      });
      const findings = (JSON.parse(fromDirectory.out) as { results: JsonResult[] }).results.flatMap(
        (r) => r.findings,
      );
      expect(findings.map((f) => [f.vulnerability_id, f.severity])).toEqual([['GHSA-test-0001', 'CRITICAL']]);
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies a policy file: WARN exits 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-policy-'));
    const policy = path.join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ warn_on_severity: 'LOW', warn_on_unpinned: true }));
    const { code, out } = await run(['check', `${UGLY}/web`, ...GHSA, '--policy', policy]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Policy: WARN$/m);
    expect(out).toMatch(/WARN warn_on_severity: 17 finding\(s\)/);
  });

  it('ignores an accepted risk named by alias until it expires', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-policy-'));
    const policy = path.join(dir, 'policy.json');
    const ignore = (expires_at: string) =>
      JSON.stringify({
        fail_on_severity: 'CRITICAL',
        ignore: [{ id: 'CVE-2021-44906', reason: 'build-time only', expires_at }],
      });
    writeFileSync(policy, ignore('2027-01-01T00:00:00Z'));
    expect((await run(['check', `${UGLY}/web`, ...GHSA, '--policy', policy])).code).toBe(0);
    writeFileSync(policy, ignore('2026-01-01T00:00:00Z'));
    expect((await run(['check', `${UGLY}/web`, ...GHSA, '--policy', policy])).code).toBe(1);
  });

  it('follows includes inside a named directory given relative to the working directory', async () => {
    const dir = mkdtempSync(path.join(REPO_ROOT, '.tmp-check-'));
    try {
      writeFileSync(path.join(dir, 'requirements.txt'), '-r base.txt\n-r ../package.json\nsix==1.16.0\n');
      writeFileSync(path.join(dir, 'base.txt'), 'attrs==23.1.0\n');
      const relative = path.relative(REPO_ROOT, dir);
      const { out } = await run(['check', relative, ...GHSA, '--format', 'json']);
      const [result] = (JSON.parse(out) as { results: JsonResult[] }).results;
      expect(result!.dependencies.map((d) => d.name)).toEqual(['attrs', 'six']);
      expect(result!.diagnostics).toEqual([
        expect.objectContaining({
          code: 'INCLUDE_OUTSIDE_ROOT',
          message:
            '-r ../package.json was not read: it is outside the files and directories named on the command line',
        }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a manifest that parses past PARSE_DEADLINE_MS as PARSE_TIMEOUT and checks the others', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-deadline-'));
    try {
      // 200k packages take the real parser far longer than 100 ms (about a second here).
      const packages: Record<string, { version: string }> = {};
      for (let i = 0; i < 200_000; i++) packages[`node_modules/pkg-${i}`] = { version: `1.0.${i % 100}` };
      writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
      writeFileSync(path.join(dir, 'requirements.txt'), 'six==1.16.0\n');
      const advisories = path.join(dir, 'advisories');
      mkdirSync(advisories);

      const { code, out } = await run(['check', dir, '--advisories', advisories, '--format', 'json'], {
        ...process.env,
        PARSE_DEADLINE_MS: '100',
        PARSE_THREADS: '2',
      });

      // The lock file was not read: incomplete, whatever the other manifest says.
      expect(code).toBe(3);
      const results = (
        JSON.parse(out) as { results: (JsonResult & { diagnostics: { message: string }[] })[] }
      ).results;
      const lock = results.find((r) => r.manifest_path.endsWith('package-lock.json'))!;
      expect(lock.dependencies).toEqual([]);
      expect(lock.diagnostics).toEqual([
        expect.objectContaining({
          code: 'PARSE_TIMEOUT',
          message: expect.stringMatching(
            /package-lock\.json took longer than 100 ms to parse \(PARSE_DEADLINE_MS\)/,
          ),
        }),
      ]);
      const requirements = results.find((r) => r.manifest_path.endsWith('requirements.txt'))!;
      expect(requirements.dependencies.map((d) => `${d.name}@${d.version}`)).toEqual(['six@1.16.0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  describe('--sbom <file>', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'repoguard-sbom-'));
      mkdirSync(path.join(dir, 'osv'));
      writeFileSync(
        path.join(dir, 'osv', 'GHSA-test-lodash.json'),
        JSON.stringify({
          id: 'GHSA-test-lodash',
          modified: '2026-01-01T00:00:00Z',
          summary: 'prototype pollution',
          database_specific: { severity: 'HIGH' },
          affected: [
            {
              package: { ecosystem: 'npm', name: 'lodash' },
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
            },
          ],
        }),
      );
      const components = [
        { type: 'library', name: 'lodash', version: '4.17.15', purl: 'pkg:npm/lodash@4.17.15' },
        { type: 'library', name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' },
        { type: 'operating-system', name: 'debian' },
      ];
      // Named as a tool names it, not *.cdx.json: --sbom tells the format from the content.
      const bom = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components }, null, 2);
      writeFileSync(path.join(dir, 'image-bom.json'), bom);
      mkdirSync(path.join(dir, 'vendor'));
      writeFileSync(path.join(dir, 'vendor', 'image.cdx.json'), bom);
      writeFileSync(
        path.join(dir, 'image.spdx'),
        JSON.stringify({
          spdxVersion: 'SPDX-2.3',
          packages: [
            {
              SPDXID: 'SPDXRef-lodash',
              name: 'lodash',
              externalRefs: [
                {
                  referenceCategory: 'PACKAGE-MANAGER',
                  referenceType: 'purl',
                  referenceLocator: 'pkg:npm/lodash@4.17.15',
                },
              ],
            },
          ],
        }),
      );
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // vendor/: a directory a repository scan skips; a file named on the command line is read.
    it.each(['image-bom.json', 'vendor/image.cdx.json'])(
      'checks a CycloneDX file whatever its name or directory (%s), and reports it under that name',
      async (name) => {
        const bom = path.join(dir, name);
        const { code, out } = await run([
          'check',
          '--sbom',
          bom,
          '--advisories',
          path.join(dir, 'osv'),
          '--format',
          'json',
        ]);
        const report = JSON.parse(out) as { status: string; complete: boolean; results: JsonResult[] };
        expect(report).toMatchObject({ status: 'FAIL', complete: true });
        expect(report.results).toHaveLength(1);
        expect(report.results[0]).toMatchObject({
          manifest_path: bom,
          findings: [
            expect.objectContaining({
              name: 'lodash',
              version: '4.17.15',
              vulnerability_id: 'GHSA-test-lodash',
            }),
          ],
          diagnostics: [expect.objectContaining({ code: 'NO_PURL' })],
        });
        expect(report.results[0]?.dependencies.map((d) => d.name)).toEqual(['lodash', 'left-pad']);
        expect(code).toBe(1);
      },
    );

    it('checks an SPDX file, beside manifests, in every output format', async () => {
      const spdx = path.join(dir, 'image.spdx');
      const osv = path.join(dir, 'osv');
      const table = await run(['check', `${UGLY}/tools`, '--sbom', spdx, '--advisories', osv]);
      expect(table.out).toContain(spdx);
      expect(table.out).toMatch(/GHSA-test-lodash/);
      const sarif = JSON.parse(
        (await run(['check', '--sbom', spdx, '--advisories', osv, '--format', 'sarif'])).out,
      ) as {
        runs: { results: { ruleId: string }[] }[];
      };
      expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toEqual(['GHSA-test-lodash']);
    });

    it('refuses a file that is not an SBOM, or is missing, as a usage error', async () => {
      const notSbom = await run([
        'check',
        '--sbom',
        `${UGLY}/web/package-lock.json`,
        '--advisories',
        path.join(dir, 'osv'),
      ]);
      expect(notSbom.code).toBe(2);
      expect(notSbom.err).toMatch(/--sbom .*package-lock\.json is not an SBOM RepoGuard reads/);
      const missing = await run(['check', '--sbom', 'nope.cdx.json', '--advisories', path.join(dir, 'osv')]);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/--sbom nope\.cdx\.json: no such file/);
    });
  });

  describe('usage errors exit 2 with a message', () => {
    it.each([
      [{ PARSE_DEADLINE_MS: 'soon' }, /PARSE_DEADLINE_MS is "soon": must be a whole number of milliseconds/],
      [{ PARSE_THREADS: '0' }, /PARSE_THREADS is "0": .*1/],
      [{ PARSE_BUDGET_MS: '90s' }, /PARSE_BUDGET_MS is "90s": must be a whole number of milliseconds/],
      [{ PARSE_MEMORY_MB: '16' }, /PARSE_MEMORY_MB is "16": .*32/],
      [{ PARSE_MEMORY_MB: 'lots' }, /PARSE_MEMORY_MB is "lots": must be a whole number of megabytes/],
      [{ REPOGUARD_CACHE_DIR: 'cache' }, /REPOGUARD_CACHE_DIR is "cache": must be an absolute path/],
    ])('a malformed %p', async (env, message) => {
      const { code, err } = await run(['check', UGLY, ...GHSA], { ...process.env, ...env });
      expect(code).toBe(2);
      expect(err).toMatch(message);
    });

    it.each([
      [[], /Usage: repoguard <command>/],
      [['scan'], /unknown command "scan"/],
      [['check', UGLY], /--advisories is required/],
      [['check', '--advisories', 'x.zip'], /name at least one file or directory/],
      [['check', UGLY, '--advisories', 'nope.zip'], /--advisories nope\.zip: no such file/],
      [['check', 'no/such/dir', ...GHSA], /no\/such\/dir: no such file or directory/],
      [['check', 'README.md', ...GHSA], /README\.md is not a manifest RepoGuard reads/],
      [
        ['check', UGLY, ...GHSA, '--format', 'xml'],
        /--format must be table, json, sarif or cyclonedx, not "xml"/,
      ],
      [['check', UGLY, ...GHSA, '--colour'], /Unknown option '--colour'/],
      [['check', UGLY, ...GHSA, '--policy', 'missing.json'], /--policy missing\.json: no such file/],
    ])('%p', async (argv, message) => {
      const { code, err } = await run(argv as string[]);
      expect(code).toBe(2);
      expect(err).toMatch(message);
    });

    it('refuses an advisories zip whose entry unzips past the cap, before inflating it', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-bomb-'));
      const bomb = path.join(dir, 'all.zip');
      writeFileSync(bomb, await buildZip([{ name: 'bomb.json', content: { zeros: 64 * 1024 * 1024 } }]));
      const { code, err } = await run(['check', UGLY, '--advisories', bomb]);
      expect(code).toBe(2);
      expect(err).toMatch(
        /--advisories .*all\.zip: entry bomb\.json unzips to more than OSV_EXPORT_MAX_ENTRY_BYTES \(16777216 bytes\)/,
      );
    });

    it('refuses an advisories zip over 2 GiB with a message, not a stack trace', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-huge-'));
      try {
        const huge = path.join(dir, 'all.zip');
        // Sparse: 2 GiB + 1 byte of holes, nothing written to the disk.
        writeFileSync(huge, '');
        truncateSync(huge, 2 ** 31 + 1);
        const { code, err } = await run(['check', UGLY, '--advisories', huge, '--format', 'json'], {
          ...process.env,
          REPOGUARD_CACHE_DIR: path.join(dir, 'cache'),
        });
        expect(code).toBe(2);
        expect(err).toMatch(
          /--advisories .*all\.zip: the zip is 2147483649 bytes, more than the 2 GiB a check reads/,
        );
        expect(err).not.toContain('    at ');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says a policy file is not JSON without quoting what it holds', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-policy-'));
      const policy = path.join(dir, 'policy.json');
      writeFileSync(policy, 'root:x:0:0:root:/root:/bin/bash\n');
      const { code, err } = await run(['check', UGLY, ...GHSA, '--policy', policy]);
      expect(code).toBe(2);
      expect(err).toMatch(/--policy .*policy\.json is not valid JSON/);
      expect(err).not.toContain('root:');
    });

    it('names each invalid rule of a policy file', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-policy-'));
      const policy = path.join(dir, 'policy.json');
      writeFileSync(policy, JSON.stringify({ fail_on_severity: 'SEVERE', ignore: [{ id: 'X' }] }));
      const { code, err } = await run(['check', UGLY, ...GHSA, '--policy', policy]);
      expect(code).toBe(2);
      expect(err).toMatch(/policy\.fail_on_severity must be one of CRITICAL, HIGH, MEDIUM, LOW/);
      expect(err).toMatch(/policy\.ignore\[0\]\.reason must say why/);
    });
  });
});
