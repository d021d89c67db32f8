import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { SarifLog } from './check-sarif.output';
import { runCliIn } from '../cli-in-process.test-helper';
import { pypiAdvisory, writeOsvDirectory } from '../../../../test/support/osv-advisories';
import { sharedOsvExport } from '../../../../test/support/shared-osv';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const UGLY = 'test/fixtures/manifests/ugly';
const GHSA = ['PyPI-ghsa.zip', 'npm-ghsa.zip', 'Go-ghsa.zip'].flatMap((f) => [
  '--advisories',
  sharedOsvExport(f),
]);

// The official OASIS schema, from a file (test/fixtures/sarif/README.md says where it came from).
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(
  JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
  ) as object,
);

function expectValidSarif(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  const valid = validateSarif(log);
  expect(valid ? [] : validateSarif.errors).toEqual([]);
  return log;
}

const run = (argv: string[], cwd = REPO_ROOT) => runCliIn(cwd, argv);
const advisory = pypiAdvisory;
const writeAdvisories = (dir: string, records: { id: string }[]) =>
  writeOsvDirectory(path.join(dir, 'osv'), records);

jest.setTimeout(60_000);

describe('repoguard check --format sarif', () => {
  describe('on the ugly fixtures, with the GHSA exports', () => {
    let first: { code: number; out: string };
    let log: SarifLog;
    let run0: SarifLog['runs'][number];

    beforeAll(async () => {
      first = await run(['check', UGLY, ...GHSA, '--format', 'sarif']);
      log = JSON.parse(first.out) as SarifLog;
      run0 = log.runs[0]!;
    });

    it('is valid against the official SARIF 2.1.0 schema', () => {
      expectValidSarif(first.out);
      expect(log.version).toBe('2.1.0');
      expect(run0.results.length).toBeGreaterThan(10);
    });

    it('exits as the table and JSON do (1: the default policy fails on CRITICAL/HIGH)', () => {
      expect(first.code).toBe(1);
      expect(run0.invocations[0]).toMatchObject({ exitCode: 1, executionSuccessful: false });
      expect(run0.properties).toMatchObject({ status: 'FAIL', complete: false, knownFindings: 0 });
    });

    it('names the tool and has one rule per advisory, each result pointing at its own', () => {
      const { driver } = run0.tool;
      expect(driver).toMatchObject({ name: 'RepoGuard', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      const ids = driver.rules.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const result of run0.results) expect(driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    });

    it('describes an advisory for code scanning: severity score, tags, fix versions, osv.dev link', () => {
      // CVE-2022-28346: Django SQL injection in QuerySet.annotate(), CVSS 9.8, fixed in 3.2.13.
      const result = run0.results.find((r) => r.message.text.startsWith('django@'))!;
      const rule = run0.tool.driver.rules[result.ruleIndex]!;
      const django = run0.tool.driver.rules.find(
        (r) => r.fullDescription.text.includes('CVE-2022-28346') || r.id === 'CVE-2022-28346',
      )!;
      expect(django).toMatchObject({
        helpUri: `https://osv.dev/vulnerability/${django.id}`,
        properties: { 'security-severity': '9.8', tags: expect.arrayContaining(['security', 'PyPI']) },
      });
      expect(django.help.text).toMatch(/^Upgrade django from 3\.2\.0 to 3\.2\.13 or later\.$/m);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    });

    it('levels each finding by the policy: error for what fails it, warning for what warns, note otherwise', () => {
      const levelOf = (name: string, severity: string) =>
        run0.results.find(
          (r) => r.message.text.startsWith(`${name}@`) && r.message.text.includes(`(${severity})`),
        )?.level;
      expect(levelOf('django', 'CRITICAL')).toBe('error');
      expect(levelOf('lodash', 'HIGH')).toBe('error');
      const levels = new Set(run0.results.map((r) => r.level));
      expect(levels).toEqual(new Set(['error', 'warning', 'note']));
      for (const result of run0.results) {
        const severity = /\((CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)\)/.exec(result.message.text)?.[1];
        const expected =
          severity === 'CRITICAL' || severity === 'HIGH'
            ? 'error'
            : severity === 'MEDIUM'
              ? 'warning'
              : 'note';
        expect([result.message.text, result.level]).toEqual([result.message.text, expected]);
      }
    });

    it('puts each result on its manifest line, the path relative to %SRCROOT% (the working directory)', () => {
      expect(run0.originalUriBaseIds['%SRCROOT%']?.uri).toBe(`file://${REPO_ROOT}/`);
      for (const result of run0.results) {
        const { artifactLocation, region } = result.locations[0]!.physicalLocation;
        expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
        expect(artifactLocation.uri.startsWith(`${UGLY}/`)).toBe(true);
        if (region) {
          const lines = readFileSync(path.join(REPO_ROOT, artifactLocation.uri), 'utf8').split('\n');
          expect(region.startLine).toBeLessThanOrEqual(lines.length);
        }
      }
      // requirements.txt: one line per requirement, so the line names the package.
      const requirements = run0.results.filter((r) =>
        r.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('ugly/requirements.txt'),
      );
      const text = readFileSync(path.join(REPO_ROOT, UGLY, 'requirements.txt'), 'utf8').split('\n');
      expect(requirements.length).toBeGreaterThan(0);
      for (const result of requirements) {
        const name = result.message.text.slice(0, result.message.text.indexOf('@'));
        const line = text[result.locations[0]!.physicalLocation.region!.startLine - 1]!;
        expect([name, line.trim().toLowerCase().startsWith(name)]).toEqual([name, true]);
      }
    });

    it('reports the manifest it could not read as a tool notification on its line, not as an alert', () => {
      expect(run0.invocations[0]!.toolExecutionNotifications).toContainEqual({
        level: 'error',
        descriptor: { id: 'INVALID_SYNTAX' },
        message: { text: expect.any(String) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: `${UGLY}/broken/Pipfile.lock`, uriBaseId: '%SRCROOT%' },
              region: { startLine: 11 },
            },
          },
        ],
      });
      expect(run0.results.some((r) => r.ruleId === 'INVALID_SYNTAX')).toBe(false);
    });

    it('fingerprints findings the same way on every run, and differently from each other', async () => {
      const again = JSON.parse((await run(['check', UGLY, ...GHSA, '--format', 'sarif'])).out) as SarifLog;
      const prints = (l: SarifLog) =>
        l.runs[0]!.results.map((r) => r.partialFingerprints['repoguardFinding/v1']);
      expect(prints(again)).toEqual(prints(log));
      expect(new Set(prints(log)).size).toBe(run0.results.length);
    });
  });

  describe('on manifests of its own', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'repoguard-sarif-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('keeps a finding on its line when lines above it are added, with the same fingerprint', async () => {
      const osv = writeAdvisories(dir, [advisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'HIGH')]);
      const project = path.join(dir, 'project');
      mkdirSync(project);
      writeFileSync(path.join(project, 'requirements.txt'), 'safe-pkg==1.0\nalpha-pkg==1.0\n');
      const before = expectValidSarif((await run(['check', '.', '-a', osv, '-f', 'sarif'], project)).out);
      writeFileSync(path.join(project, 'requirements.txt'), '# pinned\nsafe-pkg==1.0\n\nalpha-pkg==1.5\n');
      const after = expectValidSarif((await run(['check', '.', '-a', osv, '-f', 'sarif'], project)).out);
      const [b, a] = [before.runs[0]!.results[0]!, after.runs[0]!.results[0]!];
      expect(b.locations[0]!.physicalLocation.region).toEqual({ startLine: 2 });
      expect(a.locations[0]!.physicalLocation.region).toEqual({ startLine: 4 });
      expect(a.partialFingerprints).toEqual(b.partialFingerprints);
      expect(a.message.text).toBe(
        'alpha-pkg@1.5 (PyPI) is affected by GHSA-aaaa-aaaa-aaaa (HIGH): alpha-pkg is vulnerable; fixed in 2.0.',
      );
    });

    it('encodes a path of spaces, #, % and non-ASCII letters as a URI that leads back to the file', async () => {
      const osv = writeAdvisories(dir, [advisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'LOW')]);
      const nested = path.join(dir, 'project', 'my app #1', '100% ünïcode');
      mkdirSync(nested, { recursive: true });
      writeFileSync(path.join(nested, 'requirements.txt'), 'alpha-pkg==1.0\n');
      const { out, code } = await run(['check', '.', '-a', osv, '-f', 'sarif'], path.join(dir, 'project'));
      const log = expectValidSarif(out);
      expect(code).toBe(0);
      const { uri } = log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
      const base = log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri;
      expect(fileURLToPath(new URL(uri, base))).toBe(path.join(nested, 'requirements.txt'));
    });

    it('names a manifest outside the working directory by its file URI, not against %SRCROOT%', async () => {
      const osv = writeAdvisories(dir, [advisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'LOW')]);
      mkdirSync(path.join(dir, 'elsewhere'));
      mkdirSync(path.join(dir, 'cwd'));
      writeFileSync(path.join(dir, 'elsewhere/requirements.txt'), 'alpha-pkg==1.0\n');
      const { out } = await run(['check', '../elsewhere', '-a', osv, '-f', 'sarif'], path.join(dir, 'cwd'));
      const { artifactLocation } = expectValidSarif(out).runs[0]!.results[0]!.locations[0]!.physicalLocation;
      expect(artifactLocation).toEqual({ uri: `file://${dir}/elsewhere/requirements.txt` });
    });

    it('marks a finding the policy ignores as suppressed, with the reason, and a note', async () => {
      const osv = writeAdvisories(dir, [
        advisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'CRITICAL', ['CVE-2026-0001']),
      ]);
      writeFileSync(path.join(dir, 'requirements.txt'), 'alpha-pkg==1.0\n');
      writeFileSync(
        path.join(dir, 'policy.json'),
        JSON.stringify({
          fail_on_severity: 'HIGH',
          ignore: [{ id: 'CVE-2026-0001', reason: 'not reachable' }],
        }),
      );
      const { out, code } = await run(
        ['check', 'requirements.txt', '-a', osv, '-p', 'policy.json', '-f', 'sarif'],
        dir,
      );
      const result = expectValidSarif(out).runs[0]!.results[0]!;
      expect(code).toBe(0);
      expect(result).toMatchObject({
        level: 'note',
        suppressions: [{ kind: 'external', justification: 'not reachable' }],
      });
    });

    it('with --baseline: only new findings, marked new, and the count of known ones', async () => {
      const osv = writeAdvisories(dir, [
        advisory('GHSA-aaaa-aaaa-aaaa', 'alpha-pkg', 'HIGH'),
        advisory('GHSA-bbbb-bbbb-bbbb', 'beta-pkg', 'MEDIUM'),
      ]);
      writeFileSync(path.join(dir, 'requirements.txt'), 'alpha-pkg==1.0\n');
      writeFileSync(
        path.join(dir, 'baseline.json'),
        (await run(['check', '.', '-a', osv, '-f', 'json'], dir)).out,
      );
      writeFileSync(path.join(dir, 'requirements.txt'), 'alpha-pkg==1.0\nbeta-pkg==1.0\n');
      const { out, code } = await run(['check', '.', '-a', osv, '-f', 'sarif', '-b', 'baseline.json'], dir);
      const run0 = expectValidSarif(out).runs[0]!;
      expect(code).toBe(0); // MEDIUM warns; the known HIGH is not judged
      expect(run0.results.map((r) => [r.ruleId, r.level, r.baselineState])).toEqual([
        ['GHSA-bbbb-bbbb-bbbb', 'warning', 'new'],
      ]);
      expect(run0.properties).toMatchObject({ status: 'WARN', knownFindings: 1 });
    });

    it('is a valid log with no results when nothing was found, saying so in a notification', async () => {
      writeFileSync(path.join(dir, 'README.md'), 'no manifests\n');
      const osv = writeAdvisories(dir, []);
      const { out, code } = await run(['check', '.', '-a', osv, '-f', 'sarif'], dir);
      const run0 = expectValidSarif(out).runs[0]!;
      expect(code).toBe(3);
      expect(run0.results).toEqual([]);
      expect(run0.invocations[0]!.toolExecutionNotifications).toEqual([
        { level: 'error', descriptor: { id: 'NO_MANIFESTS' }, message: { text: expect.any(String) } },
      ]);
    });
  });
});
