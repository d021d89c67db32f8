import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dropDatabase, prepareDatabase, readOsvExport } from '@repoguard/infrastructure';
import { runCliCommand } from '../support/cli-run';
import { sharedOsvExport } from '../support/shared-osv';
import { freshDatabaseUrl } from '../support/fresh-database';

describe('repoguard advisories:import', () => {
  const databaseUrl = freshDatabaseUrl('e2e_import');
  // The bucket stand-in speaks plain http: downloads from it need the operator's opt-in.
  const env = { DATABASE_URL: databaseUrl, OSV_EXPORT_ALLOW_HTTP: 'true' } as NodeJS.ProcessEnv;
  let server: Server;
  let baseUrl: string;
  const requested: string[] = [];

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    // OSV's bucket layout, <Ecosystem>/all.zip, served from the real npm export.
    const npmZip = readFileSync(sharedOsvExport('npm-ghsa.zip'));
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/npm/all.zip') res.writeHead(200, { 'content-type': 'application/zip' }).end(npmZip);
      else res.writeHead(404).end('no such object');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await dropDatabase(databaseUrl);
  });

  it('imports an export from a path, and the second time writes nothing', async () => {
    const zip = sharedOsvExport('PyPI-ghsa.zip');
    const ids = new Set(readOsvExport(zip).records.map((r) => r.id));

    const first = await runCliCommand(['advisories:import', zip, '--json'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const firstReport = JSON.parse(first.stdout) as {
      imports: { inserted: number; updated: number; problems: string[]; seconds: number; rssMb: number }[];
      mirror: { advisories: number };
    };
    expect(firstReport.imports[0]).toMatchObject({ inserted: ids.size, updated: 0, problems: [] });
    expect(firstReport.imports[0]!.rssMb).toBeGreaterThan(0);
    expect(firstReport.mirror.advisories).toBe(ids.size);

    const second = await runCliCommand(['advisories:import', zip], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/ 0 new, 0 updated, \d+ unchanged, 0 withdrawn, 0 skipped in [\d.]+ s/);
    expect(second.stdout).toContain(`mirror holds ${ids.size} advisories`);
  });

  it('downloads an ecosystem export from the configured bucket', async () => {
    const npmIds = new Set(readOsvExport(sharedOsvExport('npm-ghsa.zip')).records.map((r) => r.id));
    const run = await runCliCommand(['advisories:import', '--ecosystem', 'npm', '--json'], {
      ...env,
      OSV_EXPORT_BASE_URL: `${baseUrl}/`,
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(requested).toContain('/npm/all.zip');
    const report = JSON.parse(run.stdout) as { imports: { source: string; inserted: number }[] };
    expect(report.imports[0]).toMatchObject({ source: `${baseUrl}/npm/all.zip`, inserted: npmIds.size });
  });

  it('says which source failed and goes on with the others', async () => {
    const run = await runCliCommand(
      ['advisories:import', '/nowhere/all.zip', `${baseUrl}/Go/all.zip`, sharedOsvExport('Go-ghsa.zip')],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\/nowhere\/all\.zip: .*ENOENT/);
    expect(run.stderr).toMatch(/Go\/all\.zip: download failed: HTTP 404/);
    expect(run.stdout).toMatch(/Go-ghsa\.zip: \d+ read, \d+ new/);
  });

  it('names invalid records and exits 3, importing the valid ones; --skip-invalid accepts leaving them out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-invalid-osv-'));
    const record = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      modified: '2026-11-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'PyPI', name: 'rg-invalid-import' }, versions: ['1.0.0'] }],
      ...extra,
    });
    try {
      mkdirSync(path.join(dir, 'osv'));
      const write = (name: string, content: unknown) =>
        writeFileSync(
          path.join(dir, 'osv', name),
          typeof content === 'string' ? content : JSON.stringify(content),
        );
      write('a-valid.json', record('RG-IMPORT-VALID-1'));
      write('b-truncated.json', '{"id": "RG-IMPORT-CUT", "modif');
      write('c-no-modified.json', { id: 'RG-IMPORT-NO-MODIFIED', affected: [] });
      write('d-bad-date.json', record('RG-IMPORT-BAD-DATE', { modified: 'last tuesday' }));
      write('e-list.json', [
        record('RG-IMPORT-VALID-2'),
        record('RG-IMPORT-BAD-AFFECTED', { affected: 'all' }),
      ]);
      const source = path.join(dir, 'osv');

      const strict = await runCliCommand(['advisories:import', source], env);
      expect(strict.code).toBe(3);
      expect(strict.stderr).toMatch(
        /^repoguard: .*osv: 4 invalid record\(s\) left out, the valid ones imported; fix the export, or pass --skip-invalid/,
      );
      for (const named of [
        /b-truncated\.json: not valid JSON/,
        /c-no-modified\.json: not an OSV record: RG-IMPORT-NO-MODIFIED: "modified" is missing or not a string/,
        /e-list\.json: not an OSV record: RG-IMPORT-BAD-AFFECTED: "affected" is not a list/,
        /RG-IMPORT-BAD-DATE: "modified" is not a date/,
      ]) {
        expect(strict.stderr).toMatch(named);
      }
      expect(strict.stdout).toMatch(/: 2 read, 2 new, 0 updated, 0 unchanged, 0 withdrawn, 4 skipped in /);

      const accepted = await runCliCommand(['advisories:import', source, '--skip-invalid', '--json'], env);
      expect(accepted).toMatchObject({ code: 0, stderr: '' });
      const report = JSON.parse(accepted.stdout) as { imports: { problems: string[]; unchanged: number }[] };
      expect(report.imports[0]).toMatchObject({ unchanged: 2 });
      expect(report.imports[0]!.problems).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with the usage', async () => {
    const none = await runCliCommand(['advisories:import'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give at least one export/);
    const unknown = await runCliCommand(['advisories:import', '--ecosystem', 'cobol'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--ecosystem: unknown ecosystem cobol/);
    expect(unknown.stderr).toMatch(/Usage: repoguard advisories:import/);
  });
});
