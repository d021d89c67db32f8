import { dropDatabase, prepareDatabase, readOsvExport } from '@repoguard/infrastructure';
import { freshDatabaseUrl } from '../support/fresh-database';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';
import { sharedOsvExport } from '../support/shared-osv';
import { packageLockV3 } from '../support/manifest-fixtures';

// Real advisories (PyPI's database, GitHub's npm and Go subsets), the same in both modes.
const ADVISORIES = ['PyPI-all.zip', 'npm-ghsa.zip', 'Go-ghsa.zip'].flatMap(
  (file) => readOsvExport(sharedOsvExport(file)).records,
);

// Three realistic repositories: old pins in several ecosystems and sub-directories.
const REPOS: Record<string, Record<string, string>> = {
  shop: {
    'backend/requirements.txt': 'Django==3.2.0\nrequests==2.19.0\nPyYAML==5.3\nJinja2==2.10\n',
    'web/package-lock.json': packageLockV3({ lodash: '4.17.15', minimist: '1.2.0', axios: '0.21.0' }),
  },
  tools: {
    'go.mod':
      'module example.com/tools\n\ngo 1.20\n\nrequire (\n\tgolang.org/x/text v0.3.5\n\tgolang.org/x/net v0.0.1\n)\n',
    'scripts/requirements.txt': 'urllib3==1.24.1\nFlask==0.12\npillow==8.0.0\n',
  },
  clean: { 'requirements.txt': 'Django==99.0\n' },
};

interface FindingRow {
  repo: string;
  ecosystem: string;
  package_name: string;
  version: string;
  manifest_path: string;
  vulnerability_id: string;
  severity: string;
  fixed_versions: string[];
}

async function scanAll(harness: ScanHarness): Promise<FindingRow[]> {
  const rows: FindingRow[] = [];
  for (const [name, files] of Object.entries(REPOS)) {
    const repo = await harness.github.createRepo('mirror', name);
    await repo.commit(files);
    const target = await harness.connectRepo('mirror', name);
    await harness.request(target);
    expect(await harness.waitForScan(target)).toMatchObject({ phase: 'COMPLETED' });
    const findings = (await harness.orm.em.getConnection().execute(
      `select ecosystem, package_name, version, manifest_path, vulnerability_id, severity, fixed_versions
           from findings where repo_id = ? and status = 'open'`,
      [target.repoId],
    )) as Omit<FindingRow, 'repo'>[];
    rows.push(...findings.map((f) => ({ repo: name, ...f })));
  }
  const key = (f: FindingRow) =>
    `${f.repo}|${f.manifest_path}|${f.package_name}|${f.version}|${f.vulnerability_id}`;
  return rows.sort((a, b) => key(a).localeCompare(key(b)));
}

describe('mirror mode', () => {
  // The mirror is one table for every org: a database of its own holds exactly these advisories.
  const databaseUrl = freshDatabaseUrl('e2e_mirror_mode');
  let api: ScanHarness;
  let mirror: ScanHarness;

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    [api, mirror] = await Promise.all([
      startScanHarness({ name: 'osv-api-mode', advisories: ADVISORIES, quietWindowMs: 1, databaseUrl }),
      startScanHarness({
        name: 'osv-mirror-mode',
        advisories: ADVISORIES,
        quietWindowMs: 1,
        osvMode: 'mirror',
        databaseUrl,
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([api?.close(), mirror?.close()]);
    await dropDatabase(databaseUrl);
  });

  it('finds exactly what api mode finds on the same repositories and advisories, without calling OSV', async () => {
    const viaApi = await scanAll(api);
    const viaMirror = await scanAll(mirror);
    expect(viaMirror).toEqual(viaApi);
    // Not an empty comparison: each ecosystem found something, and the clean repo nothing.
    const ecosystems = new Set(viaMirror.map((f) => f.ecosystem));
    expect([...ecosystems].sort()).toEqual(['Go', 'PyPI', 'npm']);
    expect(viaMirror.filter((f) => f.repo === 'clean')).toEqual([]);
    expect(api.osv.requests.length).toBeGreaterThan(0);
    expect(mirror.osv.requests).toEqual([]);
  });
});
