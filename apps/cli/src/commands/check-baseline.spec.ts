import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SarifLog } from './check-sarif.output';
import { MAX_BASELINE_BYTES } from './check-baseline.args';
import { runCliIn } from '../cli-in-process.test-helper';
import { pypiAdvisory, writeOsvDirectory } from '../../../../test/support/osv-advisories';
import { sharedOsvExport } from '../../../../test/support/shared-osv';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const UGLY = path.join(REPO_ROOT, 'test/fixtures/manifests/ugly');
const GHSA = ['PyPI-ghsa.zip', 'npm-ghsa.zip'].flatMap((f) => ['--advisories', sharedOsvExport(f)]);

const run = (argv: string[], cwd: string) => runCliIn(cwd, argv);

interface JsonReport {
  status: string;
  summary: { findings_total: number };
  baseline: { known: number; findings: { manifest_path: string; name: string }[] } | null;
  results: {
    manifest_path: string;
    findings: { name: string; version: string; vulnerability_id: string }[];
  }[];
}
const findingsOf = (report: JsonReport) =>
  report.results.flatMap((r) => r.findings.map((f) => `${r.manifest_path}: ${f.name}@${f.version}`));

jest.setTimeout(60_000);

describe('repoguard check --baseline', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-baseline-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports nothing against its own previous output (exit 0), then only a newly added vulnerable dependency', async () => {
    // Real manifests and real advisories: a legacy Python app and an npm lock full of findings.
    mkdirSync(path.join(dir, 'web'));
    copyFileSync(path.join(UGLY, 'requirements.txt'), path.join(dir, 'requirements.txt'));
    copyFileSync(path.join(UGLY, 'web/package-lock.json'), path.join(dir, 'web/package-lock.json'));

    const first = await run(['check', '.', ...GHSA, '--format', 'json'], dir);
    const before = JSON.parse(first.out) as JsonReport;
    expect(first.code).toBe(1);
    expect(before.summary.findings_total).toBeGreaterThan(20);
    expect(before.baseline).toBeNull();
    writeFileSync(path.join(dir, 'baseline.json'), first.out);

    const again = await run(['check', '.', ...GHSA, '--format', 'json', '--baseline', 'baseline.json'], dir);
    const after = JSON.parse(again.out) as JsonReport;
    expect(findingsOf(after)).toEqual([]);
    expect(after).toMatchObject({ status: 'OK', summary: { findings_total: 0 } });
    expect(after.baseline?.known).toBe(findingsOf(before).length);
    expect(again.code).toBe(0);

    const table = await run(['check', '.', ...GHSA, '--baseline', 'baseline.json'], dir);
    expect(table.out).toMatch(/: 0 new vulnerabilities\.$/m);
    expect(table.out).toContain(`Baseline: ${findingsOf(before).length} known findings left out (not judged`);
    expect(table.out).toMatch(/^Policy: OK$/m);
    const sarif = await run(['check', '.', ...GHSA, '-f', 'sarif', '-b', 'baseline.json'], dir);
    const log = JSON.parse(sarif.out) as SarifLog;
    expect([sarif.code, log.runs[0]!.results, log.runs[0]!.properties['knownFindings']]).toEqual([
      0,
      [],
      findingsOf(before).length,
    ]);

    // New pins with advisories of their own: Django 2.2.8 (CVE-2019-19844, password reset
    // hijack, CRITICAL, fixed in 2.2.9) beside the known 3.2.0, and pillow in a new manifest.
    appendFileSync(path.join(dir, 'requirements.txt'), '\nDjango==2.2.8\n');
    mkdirSync(path.join(dir, 'admin'));
    writeFileSync(path.join(dir, 'admin/requirements.txt'), 'pillow==8.1.0\n');
    const added = await run(['check', '.', ...GHSA, '--format', 'json', '--baseline', 'baseline.json'], dir);
    const report = JSON.parse(added.out) as JsonReport;
    const reported = findingsOf(report);
    expect(reported.length).toBeGreaterThan(0);
    expect(
      reported.every(
        (f) =>
          f.startsWith('requirements.txt: django@2.2.8') ||
          f.startsWith('admin/requirements.txt: pillow@8.1.0'),
      ),
    ).toBe(true);
    expect(reported.some((f) => f.startsWith('admin/'))).toBe(true);
    expect(report.status).toBe('FAIL');
    expect(added.code).toBe(1);

    // That output, baseline and all, is the next run's baseline: nothing is new against it.
    writeFileSync(path.join(dir, 'baseline-2.json'), added.out);
    const chained = await run(['check', '.', ...GHSA, '--format', 'json', '-b', 'baseline-2.json'], dir);
    expect(findingsOf(JSON.parse(chained.out) as JsonReport)).toEqual([]);
    expect(chained.code).toBe(0);
  });

  describe('on advisories of its own', () => {
    let osv: string;
    beforeEach(() => {
      osv = writeOsvDirectory(path.join(dir, 'osv'), [
        pypiAdvisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'HIGH', ['CVE-2026-1111']),
        pypiAdvisory('GHSA-bbbb-bbbb-bbbb', 'beta-pkg', 'HIGH'),
      ]);
    });
    const check = (...args: string[]) => run(['check', '.', '-a', osv, '-f', 'json', ...args], dir);

    it('keeps a finding known when its line moves or its version changes under the same advisory', async () => {
      mkdirSync(path.join(dir, 'svc'));
      writeFileSync(path.join(dir, 'svc/requirements.txt'), 'alpha-pkg==1.0\n');
      writeFileSync(path.join(dir, 'baseline.json'), (await check()).out);
      writeFileSync(path.join(dir, 'svc/requirements.txt'), '# moved\n\nsafe-pkg==1.0\nalpha-pkg==1.5\n');
      const result = await check('-b', 'baseline.json');
      expect([findingsOf(JSON.parse(result.out) as JsonReport), result.code]).toEqual([[], 0]);
    });

    it('reports the same vulnerable package added to another manifest, and another advisory on a known package', async () => {
      mkdirSync(path.join(dir, 'svc'));
      writeFileSync(path.join(dir, 'svc/requirements.txt'), 'alpha-pkg==1.0\n');
      writeFileSync(path.join(dir, 'baseline.json'), (await check()).out);
      mkdirSync(path.join(dir, 'other'));
      writeFileSync(path.join(dir, 'other/requirements.txt'), 'alpha-pkg==1.0\nbeta-pkg==1.0\n');
      const result = await check('-b', 'baseline.json');
      expect(findingsOf(JSON.parse(result.out) as JsonReport)).toEqual([
        'other/requirements.txt: alpha-pkg@1.0',
        'other/requirements.txt: beta-pkg@1.0',
      ]);
      expect(result.code).toBe(1);
    });

    it('knows a finding by any of its ids, so a baseline that named it by alias still covers it', async () => {
      writeFileSync(path.join(dir, 'requirements.txt'), 'alpha-pkg==1.0\n');
      const baseline = {
        results: [
          {
            manifest_path: 'requirements.txt',
            findings: [
              { ecosystem: 'PyPI', name: 'alpha-pkg', vulnerability_id: 'CVE-2026-1111', aliases: [] },
            ],
          },
        ],
      };
      writeFileSync(path.join(dir, 'baseline.json'), JSON.stringify(baseline));
      const result = await check('-b', 'baseline.json');
      expect([findingsOf(JSON.parse(result.out) as JsonReport), result.code]).toEqual([[], 0]);
    });

    it.each([
      ['not JSON', 'status: FAIL\n', /--baseline bad\.json is not JSON/],
      [
        'a JSON array',
        '[]',
        /is not the output of repoguard check --format json: the document must be an object/,
      ],
      ['results that are not a list', '{"results": "all"}', /results must be an array/],
      [
        'a finding without a name',
        '{"results":[{"manifest_path":"a","findings":[{"ecosystem":"PyPI","vulnerability_id":"X","aliases":[]}]}]}',
        /results\[0\]\.findings\[0\]\.name must be a non-empty string/,
      ],
      [
        'an alias that is not a string',
        '{"results":[{"manifest_path":"a","findings":[{"ecosystem":"PyPI","name":"n","vulnerability_id":"X","aliases":[{}]}]}]}',
        /results\[0\]\.findings\[0\]\.aliases\[0\] must be a non-empty string/,
      ],
      ['a later format', '{"format_version": 2, "results": []}', /format_version 2 is not 1/],
      ['a SARIF log', '{"version":"2.1.0","runs":[]}', /results must be an array/],
      ['arrays nested a million deep', `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, /is not/],
      [
        'a baseline section of the wrong shape',
        '{"results":[],"baseline":{"findings":{}}}',
        /baseline\.findings must be an array/,
      ],
    ])('refuses %s as a usage error naming the problem (exit 2)', async (_, text, problem) => {
      writeFileSync(path.join(dir, 'requirements.txt'), 'alpha-pkg==1.0\n');
      writeFileSync(path.join(dir, 'bad.json'), text);
      const result = await check('-b', 'bad.json');
      expect([result.code, result.out]).toEqual([2, '']);
      expect(result.err).toMatch(problem);
    });

    it('refuses a baseline past the size cap before reading it, a directory and a missing file', async () => {
      writeFileSync(path.join(dir, 'requirements.txt'), 'alpha-pkg==1.0\n');
      writeFileSync(path.join(dir, 'huge.json'), '');
      truncateSync(path.join(dir, 'huge.json'), MAX_BASELINE_BYTES + 1);
      for (const [file, problem] of [
        ['huge.json', /--baseline huge\.json is larger than 64 MiB/],
        ['osv', /--baseline osv: not a file/],
        ['missing.json', /--baseline missing\.json: no such file/],
      ] as const) {
        const result = await check('-b', file);
        expect([file, result.code]).toEqual([file, 2]);
        expect(result.err).toMatch(problem);
      }
    });
  });
});
