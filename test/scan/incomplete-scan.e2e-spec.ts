import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { runCliCommand } from '../support/cli-run';
import { packageLockV3 } from '../support/manifest-fixtures';

// A package-lock.json cut off mid-way: what a bad merge or a truncated upload leaves behind.
const CORRUPT_LOCK = packageLockV3({ 'rg-incomplete-lodash': '4.17.20' }).slice(0, 60);

/** An npm advisory on `name`, fixed in `fixed`. */
const npmAdvisory = (
  id: string,
  name: string,
  fixed: string,
  severity: string,
  summary: string,
): OsvRecord => ({
  id,
  modified: '2026-11-01T00:00:00Z',
  summary,
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
    },
  ],
  database_specific: { severity },
});

const ADVISORY = npmAdvisory(
  'RG-INCOMPLETE-0001',
  'rg-incomplete-lodash',
  '4.17.21',
  'HIGH',
  'a vulnerable package the corrupt lock file hides',
);
// Its own package, so this test's finding is never another test's.
const CRITICAL = npmAdvisory(
  'RG-INCOMPLETE-0002',
  'rg-incomplete-critical',
  '2.0.0',
  'CRITICAL',
  'a critical finding a lock file that breaks later must not close',
);

// A scan that could not read a manifest, or found none, is never silently OK: the scan answer says
// `complete: false` with the diagnostics, the verdict is at least WARN, and `repoguard check` on
// the same files prints INCOMPLETE and exits 3.
describe('incomplete scans', () => {
  let stack: ApiStack;
  let orgId: string;
  let token: string;
  const api = (method: string, p: string, body?: unknown) => stack.call(token, method, `/api/v1${p}`, body);

  beforeAll(async () => {
    stack = await startApiStack({ name: 'incomplete-scan', advisories: [ADVISORY, CRITICAL] });
    ({ orgId, ownerToken: token } = await stack.createOrg('incomplete-scan'));
  });
  afterAll(async () => stack?.close());

  async function connect(owner: string, files: Record<string, string>) {
    const repo = await stack.harness.github.createRepo(owner, 'app');
    await repo.commit(files);
    const connected = await api('POST', `/orgs/${orgId}/repos`, { repo: `${owner}/app` });
    expect(connected.status).toBe(201);
    return { repo, repoId: connected.body.id as string };
  }

  async function scanToEnd(repoId: string) {
    const scan = await stack.scanToEnd(token, repoId);
    expect(scan).toMatchObject({ status: 'COMPLETED', error: null });
    return scan;
  }

  it('a corrupt lock file: the scan says incomplete, names the file, and the repository is WARN, not OK', async () => {
    const { repo, repoId } = await connect('incomplete-lock', {
      'requirements.txt': 'six==1.16.0\n',
      'web/package-lock.json': CORRUPT_LOCK,
    });
    const scan = await scanToEnd(repoId);
    expect(scan).toMatchObject({
      complete: false,
      diagnostics: [
        {
          path: 'web/package-lock.json',
          code: 'INVALID_SYNTAX',
          message: expect.any(String),
          line: 1,
        },
      ],
    });
    const listed = await api('GET', `/repos/${repoId}/scans`);
    expect(listed.body.items[0]).toMatchObject({ id: scan.id, complete: false });

    const repository = await api('GET', `/orgs/${orgId}/repos/${repoId}`);
    expect(repository.body.status).toBe('WARN');
    const evaluation = await api('GET', `/orgs/${orgId}/policies/evaluation?repo_id=${repoId}`);
    expect(evaluation.body).toMatchObject({
      status: 'WARN',
      reasons: [
        {
          rule: 'incomplete',
          status: 'WARN',
          message: expect.stringMatching(
            /^1 manifest\(s\) could not be read in full: web\/package-lock\.json/,
          ),
        },
      ],
    });
    const strict = await api(
      'GET',
      `/orgs/${orgId}/policies/evaluation?repo_id=${repoId}&rules=${encodeURIComponent('{"fail_on_incomplete":true}')}`,
    );
    expect(strict.body).toMatchObject({ status: 'FAIL', reasons: [{ rule: 'fail_on_incomplete' }] });

    // Repaired, the lock file shows what it hid; the scan is complete again.
    await repo.commit(
      { 'web/package-lock.json': packageLockV3({ 'rg-incomplete-lodash': '4.17.20' }) },
      'fix',
    );
    const repaired = await scanToEnd(repoId);
    expect(repaired).toMatchObject({ complete: true, diagnostics: [] });
    expect((await api('GET', `/orgs/${orgId}/repos/${repoId}`)).body.status).toBe('FAIL');
  });

  it('a repository without any manifest: the scan says incomplete (NO_MANIFESTS), the repository WARN', async () => {
    const { repoId } = await connect('incomplete-none', { 'README.md': '# nothing to scan\n' });
    const scan = await scanToEnd(repoId);
    expect(scan).toMatchObject({
      complete: false,
      diagnostics: [{ path: null, code: 'NO_MANIFESTS', message: expect.any(String), line: null }],
    });
    expect((await api('GET', `/orgs/${orgId}/repos/${repoId}`)).body.status).toBe('WARN');
  });

  // A lock file that breaks must not close what it held as fixed: that would turn FAIL into WARN.
  // Deleting it is a real removal; a fetch that finds no manifest at all proves nothing.
  it('a lock file that breaks after a FAIL: its finding stays open and the repository FAIL', async () => {
    const lock = packageLockV3({ 'rg-incomplete-critical': '1.0.0' });
    const { repo, repoId } = await connect('incomplete-breaks', {
      'requirements.txt': 'six==1.16.0\n',
      'web/package-lock.json': lock,
    });
    const findings = async () =>
      (await api('GET', `/repos/${repoId}/findings?status=all`)).body.items as {
        id: string;
        status: string;
        vulnerability: { id: string };
      }[];
    const status = async () => (await api('GET', `/orgs/${orgId}/repos/${repoId}`)).body.status as string;

    expect(await scanToEnd(repoId)).toMatchObject({ complete: true, counts: { findings: 1 } });
    const [finding] = await findings();
    expect(finding).toMatchObject({ status: 'open', vulnerability: { id: CRITICAL.id } });
    expect(await status()).toBe('FAIL');

    for (const [broken, code] of [
      [lock.slice(0, Math.floor(lock.length / 2)), 'INVALID_SYNTAX'],
      ['', 'EMPTY_FILE'],
    ] as const) {
      await repo.commit({ 'web/package-lock.json': broken }, `break the lock: ${code}`);
      const scan = await scanToEnd(repoId);
      expect(scan).toMatchObject({
        complete: false,
        diagnostics: [{ path: 'web/package-lock.json', code }],
        counts: { fixed_findings: 0 },
      });
      expect(await findings()).toEqual([expect.objectContaining({ id: finding!.id, status: 'open' })]);
      expect(await status()).toBe('FAIL');
      const evaluation = await api('GET', `/orgs/${orgId}/policies/evaluation?repo_id=${repoId}`);
      expect(evaluation.body.status).toBe('FAIL');
      expect(evaluation.body.reasons).toEqual(
        expect.arrayContaining([expect.objectContaining({ rule: 'incomplete' })]),
      );
    }

    // No manifest at all (every one deleted): nothing was read, so nothing is closed.
    await repo.commit({ 'web/package-lock.json': null, 'requirements.txt': null }, 'remove every manifest');
    expect(await scanToEnd(repoId)).toMatchObject({
      complete: false,
      diagnostics: [{ path: null, code: 'NO_MANIFESTS' }],
      counts: { fixed_findings: 0 },
    });
    expect(await findings()).toEqual([expect.objectContaining({ id: finding!.id, status: 'open' })]);
    expect(await status()).toBe('FAIL');

    // The lock file gone while another manifest is read: a real removal, the finding fixed.
    await repo.commit({ 'requirements.txt': 'six==1.16.0\n' }, 'only python left');
    expect(await scanToEnd(repoId)).toMatchObject({ complete: true, counts: { fixed_findings: 1 } });
    expect(await findings()).toEqual([expect.objectContaining({ id: finding!.id, status: 'fixed' })]);
    expect(await status()).toBe('OK');
  });

  it('repoguard check on the same files prints INCOMPLETE and exits 3; as JSON too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-incomplete-'));
    try {
      mkdirSync(path.join(dir, 'web'));
      writeFileSync(path.join(dir, 'requirements.txt'), 'six==1.16.0\n');
      writeFileSync(path.join(dir, 'web', 'package-lock.json'), CORRUPT_LOCK);
      const advisories = path.join(dir, 'advisories');
      mkdirSync(advisories);
      writeFileSync(path.join(advisories, `${ADVISORY.id}.json`), JSON.stringify(ADVISORY));

      const table = await runCliCommand(['check', dir, '--advisories', advisories], {});
      expect(table.stdout).toMatch(
        /^INCOMPLETE: 1 manifest\(s\) could not be read in full: .*web\/package-lock\.json \(INVALID_SYNTAX\)/m,
      );
      expect(table.stdout).toMatch(/^Policy: WARN$/m);
      expect(table.code).toBe(3);

      const json = await runCliCommand(['check', dir, '--advisories', advisories, '--format', 'json'], {});
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout)).toMatchObject({
        status: 'WARN',
        complete: false,
        diagnostics: [{ path: expect.stringMatching(/web\/package-lock\.json$/), code: 'INVALID_SYNTAX' }],
      });

      const empty = path.join(dir, 'empty');
      mkdirSync(empty);
      const none = await runCliCommand(['check', empty, '--advisories', advisories], {});
      expect(none.stdout).toMatch(/^INCOMPLETE: no dependency manifest RepoGuard reads was found/m);
      expect(none.code).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
