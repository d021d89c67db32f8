import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { startApiStack, type ApiStack } from '../support/api-stack';

interface Snapshot {
  manifests: {
    path: string;
    diagnostics: { severity: string; code: string; message: string; line?: number }[];
  }[];
  dependencies: { items: { name: string; version: string | null; manifest_path: string }[] };
}

// A tenant's repository whose requirements file tries to make the worker read what is not in that
// commit: another tenant's files, the server's own, or a link pointing out. The scan reads includes
// from the commit's own manifests only, and refuses paths that leave the repository outright.
describe('scans: includes never leave the repository', () => {
  let stack: ApiStack;
  const attacker = { orgId: '', token: '' };
  const victim = { orgId: '', token: '' };

  beforeAll(async () => {
    stack = await startApiStack({ name: 'scan-include', env: { GIT_ALLOW_FILE_URLS: 'true' } });
    ({ orgId: attacker.orgId, ownerToken: attacker.token } = await stack.createOrg('include-attacker'));
    ({ orgId: victim.orgId, ownerToken: victim.token } = await stack.createOrg('include-victim'));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const api = (token: string, method: string, p: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${p}`, body);

  async function scanToEnd(token: string, repoId: string) {
    const requested = await api(token, 'POST', `/repos/${repoId}/scan`, {});
    expect(requested.status).toBe(202);
    let scan = (await api(token, 'GET', `/scans/${requested.body.scan_id}`)).body;
    for (let i = 0; i < 120 && !['COMPLETED', 'FAILED'].includes(scan.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api(token, 'GET', `/scans/${requested.body.scan_id}`)).body;
    }
    expect(scan).toMatchObject({ status: 'COMPLETED', error: null });
    return scan as { snapshot_id: string };
  }

  async function snapshotOf(token: string, repoId: string, snapshotId: string): Promise<Snapshot> {
    const snapshot = await api(token, 'GET', `/repos/${repoId}/snapshots/${snapshotId}?per_page=100`);
    expect(snapshot.status).toBe(200);
    return snapshot.body as Snapshot;
  }

  it.each(['github', 'git'] as const)(
    'refuses includes that climb out or are absolute, reads only the commit (%s provider)',
    async (provider) => {
      const victimRepo = await stack.harness.github.createRepo(`victim-${provider}`, 'app');
      await victimRepo.commit({ 'requirements.txt': 'victim-private-package==1.0.0\n' });
      const victimConnected = await api(victim.token, 'POST', `/orgs/${victim.orgId}/repos`, {
        repo: `victim-${provider}/app`,
      });
      expect(victimConnected.status).toBe(201);
      const victimScan = await scanToEnd(victim.token, victimConnected.body.id);
      const victimBefore = await snapshotOf(victim.token, victimConnected.body.id, victimScan.snapshot_id);

      const repo = await stack.harness.github.createRepo(`attacker-${provider}`, 'app');
      await repo.commit({
        'requirements/base.txt': 'attrs==23.1.0\n',
        'app/requirements.txt': [
          `-r ../../victim-${provider}/app/requirements.txt`,
          `-r ${victimRepo.path}/requirements.txt`,
          '-r /etc/passwd',
          '-c ../../../../../../etc/passwd',
          '-r requirements-link.txt',
          '-r ../requirements/base.txt',
          'six==1.16.0',
          '',
        ].join('\n'),
      });
      // A link in the commit pointing out of it: git stores the target path, never the file.
      symlinkSync('/etc/passwd', path.join(repo.path, 'app', 'requirements-link.txt'));
      await repo.commit({}, 'a link out');
      const connected = await api(
        attacker.token,
        'POST',
        `/orgs/${attacker.orgId}/repos`,
        provider === 'github' ? { repo: `attacker-${provider}/app` } : { git_url: `file://${repo.path}` },
      );
      expect(connected.status).toBe(201);
      const scan = await scanToEnd(attacker.token, connected.body.id);
      const snapshot = await snapshotOf(attacker.token, connected.body.id, scan.snapshot_id);

      const manifest = snapshot.manifests.find((m) => m.path === 'app/requirements.txt')!;
      const refused = manifest.diagnostics.filter((d) => d.code === 'INCLUDE_OUTSIDE_ROOT');
      expect(refused.map((d) => [d.line, d.message])).toEqual([
        [
          1,
          `-r ../../victim-${provider}/app/requirements.txt was not read: it climbs out of the scanned files`,
        ],
        [2, `-r ${victimRepo.path}/requirements.txt was not read: absolute include paths are never followed`],
        [3, '-r /etc/passwd was not read: absolute include paths are never followed'],
        [4, '-c ../../../../../../etc/passwd was not read: it climbs out of the scanned files'],
      ]);
      // The link is not a manifest of the commit: git holds its target's path, which is not read.
      expect(manifest.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'INCLUDE_NOT_FOUND', line: 5 }),
      );
      // The include inside the repository is followed: attrs, from requirements/base.txt.
      expect(manifest.diagnostics.filter((d) => d.line === 6)).toEqual([]);
      expect([...new Set(snapshot.dependencies.items.map((d) => d.name))].sort()).toEqual(['attrs', 'six']);
      const printed = JSON.stringify(snapshot);
      expect(printed).not.toContain('root:');
      expect(printed).not.toContain('victim-private-package');

      // The other tenant's data is as it was.
      expect(await snapshotOf(victim.token, victimConnected.body.id, victimScan.snapshot_id)).toEqual(
        victimBefore,
      );
    },
  );
});
