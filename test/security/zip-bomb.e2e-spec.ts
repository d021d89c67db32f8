import { Client } from 'pg';
import { dropDatabase, prepareDatabase } from '@repoguard/infrastructure';
import { runCliCommand, type CliRun } from '../support/cli-run';
import { freshDatabaseUrl } from '../support/fresh-database';
import { buildZip, gzipOfZeros, type ZipEntrySpec } from '../support/zip-builder';
import {
  startExportDownloadStandIn,
  type ExportDownloadStandIn,
} from '../stand-ins/export-download-stand-in';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

// Whoever serves an advisory export (a compromised mirror, a man in the middle of http://) tries
// to exhaust the importer's memory or slip in advisories. The import must stop at the configured
// caps with an error naming them, exit non-zero and write nothing; http:// is refused unless the
// operator opted in. The CLI runs with a 128 MB heap: an unbounded read would die of OOM instead.
describe('advisories:import: downloads are https and bounded, zip bombs end at a cap', () => {
  const databaseUrl = freshDatabaseUrl('e2e_zipbomb');
  let standIn: ExportDownloadStandIn;
  let db: Client;
  // Advisories the mirror already holds, and others an attack smuggles in front of its bomb:
  // after every attack the first are as they were and none of the second were written. Made
  // here, so the test runs without ../shared/osv.
  const advisory = (id: string, name: string) => ({
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
      },
    ],
  });
  const heldIds = Array.from({ length: 20 }, (_, i) => `RG-HELD-${String(i).padStart(4, '0')}`);
  const before: ZipEntrySpec[] = Array.from({ length: 5 }, (_, i) => ({
    name: `RG-SMUGGLED-${i}.json`,
    content: JSON.stringify(advisory(`RG-SMUGGLED-${i}`, 'left-pad')),
  }));

  const env = () => ({
    DATABASE_URL: databaseUrl,
    NODE_EXTRA_CA_CERTS: standIn.caFile,
    NODE_OPTIONS: '--max-old-space-size=128',
    OSV_EXPORT_MAX_DOWNLOAD_BYTES: String(16 * MiB),
    OSV_EXPORT_MAX_UNZIPPED_BYTES: String(16 * MiB),
    OSV_EXPORT_MAX_ENTRY_BYTES: String(2 * MiB),
  });
  const importFrom = (url: string, ...flags: string[]) =>
    runCliCommand(['advisories:import', url, ...flags], env());

  const mirror = async () => {
    const { rows } = await db.query<{ id: string; imported_at: string }>(
      'select id, imported_at::text from mirrored_advisories order by id',
    );
    return rows;
  };
  let held: { id: string; imported_at: string }[];

  const expectRefusedWithNothingWritten = async (run: CliRun, message: RegExp) => {
    expect(run.stderr).not.toMatch(/heap out of memory|FATAL ERROR|Allocation failed/);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(await mirror()).toEqual(held);
  };

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const [npmZip, bomb, manyEntries, liar, boldLiar, gzipBomb] = await Promise.all([
      buildZip(
        heldIds.map((id) => ({ name: `${id}.json`, content: JSON.stringify(advisory(id, 'lodash')) })),
      ),
      // The classic: one entry of 1 GiB of zeros, in a zip of a few MB, its header honest.
      buildZip([...before, { name: 'zz-bomb.json', content: { zeros: GiB } }]),
      // Each entry within the per-entry cap, together far over the total.
      buildZip([
        ...before,
        ...Array.from({ length: 40 }, (_, i) => ({ name: `zz-${i}.json`, content: { zeros: MiB } })),
      ]),
      // Headers that lie: 1 MiB declared for 64 MiB of zeros (some 300 KB compressed), and 1 KB
      // declared for a gigabyte, which no deflate stream of its compressed size could be.
      buildZip([...before, { name: 'zz-liar.json', content: { zeros: 64 * MiB }, declaredSize: MiB }]),
      buildZip([...before, { name: 'zz-liar.json', content: { zeros: GiB }, declaredSize: 1000 }]),
      // Content-Encoding: gzip, which fetch inflates on its own: 1 GiB behind a small body.
      gzipOfZeros(GiB),
    ]);
    standIn = await startExportDownloadStandIn({
      '/npm/all.zip': (_req, res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(npmZip),
      '/bomb/all.zip': (_req, res) => res.writeHead(200).end(bomb),
      '/many/all.zip': (_req, res) => res.writeHead(200).end(manyEntries),
      '/liar/all.zip': (_req, res) => res.writeHead(200).end(liar),
      '/bold-liar/all.zip': (_req, res) => res.writeHead(200).end(boldLiar),
      '/gzip/all.zip': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipBomb),
      // No Content-Length: only counting the bytes as they come can stop it.
      '/endless/all.zip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/zip' });
        const chunk = Buffer.alloc(MiB, 7);
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more);
        };
        more();
      },
      '/announced/all.zip': (_req, res) => {
        res.writeHead(200, { 'content-length': String(4 * GiB) });
        res.write(Buffer.alloc(1024));
      },
      '/to-http/all.zip': (_req, res) =>
        res.writeHead(302, { location: `${standIn.httpUrl}/npm/all.zip` }).end(),
      '/to-file/all.zip': (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    });

    // The mirror before any attack: an export read over https from the stand-in.
    const first = await importFrom(`${standIn.httpsUrl}/npm/all.zip`, '--json');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    held = await mirror();
    expect(held.map((r) => r.id)).toEqual(heldIds);
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await standIn?.close();
    await dropDatabase(databaseUrl);
  });

  it('stops a zip bomb at the per-entry cap, naming it and how to raise it', async () => {
    const run = await importFrom(`${standIn.httpsUrl}/bomb/all.zip`);
    await expectRefusedWithNothingWritten(
      run,
      /\/bomb\/all\.zip: entry zz-bomb\.json unzips to more than OSV_EXPORT_MAX_ENTRY_BYTES \(2097152 bytes\) allows; stopped reading and imported nothing\. If the export is genuine, raise OSV_EXPORT_MAX_ENTRY_BYTES\./,
    );
  });

  it('stops many small entries at the total cap', async () => {
    const run = await importFrom(`${standIn.httpsUrl}/many/all.zip`);
    await expectRefusedWithNothingWritten(
      run,
      /the export unzips to more than OSV_EXPORT_MAX_UNZIPPED_BYTES \(16777216 bytes\) allows.*raise OSV_EXPORT_MAX_UNZIPPED_BYTES/,
    );
  });

  it('stops an entry at the size its header declares when the header lies', async () => {
    const run = await importFrom(`${standIn.httpsUrl}/liar/all.zip`);
    await expectRefusedWithNothingWritten(
      run,
      /entry zz-liar\.json unzips to more than the 1048576 bytes its header declares: a damaged or crafted zip/,
    );
    const bold = await importFrom(`${standIn.httpsUrl}/bold-liar/all.zip`);
    await expectRefusedWithNothingWritten(
      bold,
      /entry zz-liar\.json is larger compressed \(\d+ bytes\) than its declared 1000 bytes: a damaged or crafted zip/,
    );
  });

  it('counts what fetch inflates from a gzip-encoded response against the download cap', async () => {
    const run = await importFrom(`${standIn.httpsUrl}/gzip/all.zip`);
    await expectRefusedWithNothingWritten(
      run,
      /the download holds more than OSV_EXPORT_MAX_DOWNLOAD_BYTES \(16777216 bytes\) allows.*raise OSV_EXPORT_MAX_DOWNLOAD_BYTES/,
    );
  });

  it('stops an endless download at the download cap, and refuses one announced too large unread', async () => {
    const endless = await importFrom(`${standIn.httpsUrl}/endless/all.zip`);
    await expectRefusedWithNothingWritten(
      endless,
      /the download holds more than OSV_EXPORT_MAX_DOWNLOAD_BYTES/,
    );
    const announced = await importFrom(`${standIn.httpsUrl}/announced/all.zip`);
    await expectRefusedWithNothingWritten(
      announced,
      /the download announces more than OSV_EXPORT_MAX_DOWNLOAD_BYTES/,
    );
  });

  it('refuses http:// without the opt-in before connecting, and a redirect from https to http:// or file:', async () => {
    const plain = await importFrom(`${standIn.httpUrl}/npm/all.zip`);
    await expectRefusedWithNothingWritten(
      plain,
      /http:\/\/ is refused: exports are read over https only\. Set OSV_EXPORT_ALLOW_HTTP=true/,
    );
    const ecosystem = await runCliCommand(['advisories:import', '--ecosystem', 'npm'], {
      ...env(),
      OSV_EXPORT_BASE_URL: standIn.httpUrl,
    });
    await expectRefusedWithNothingWritten(ecosystem, /http:\/\/ is refused/);

    const redirected = await importFrom(`${standIn.httpsUrl}/to-http/all.zip`);
    await expectRefusedWithNothingWritten(
      redirected,
      /redirected to http:\/\/127\.0\.0\.1:\d+\/npm\/all\.zip: http:\/\/ is refused/,
    );
    const toFile = await importFrom(`${standIn.httpsUrl}/to-file/all.zip`);
    await expectRefusedWithNothingWritten(
      toFile,
      /redirected to file:\/\/\/etc\/passwd: file: URLs are not read/,
    );
    expect(standIn.connections.http).toBe(0);
    expect(standIn.requests).toEqual(
      expect.arrayContaining(['https /to-http/all.zip', 'https /to-file/all.zip']),
    );
  });

  it('reads http:// when the operator opts in, by flag or variable', async () => {
    const flagged = await importFrom(`${standIn.httpUrl}/npm/all.zip`, '--allow-http');
    expect(flagged).toMatchObject({ code: 0, stderr: '' });
    expect(flagged.stdout).toMatch(/\/npm\/all\.zip: \d+ read, 0 new, 0 updated/);
    const configured = await runCliCommand(['advisories:import', `${standIn.httpUrl}/npm/all.zip`], {
      ...env(),
      OSV_EXPORT_ALLOW_HTTP: 'true',
    });
    expect(configured.code).toBe(0);
    expect(standIn.connections.http).toBeGreaterThan(0);
  });

  it('names a malformed limit as a usage error', async () => {
    const run = await runCliCommand(['advisories:import', `${standIn.httpsUrl}/npm/all.zip`], {
      ...env(),
      OSV_EXPORT_MAX_ENTRY_BYTES: '16MB',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/OSV_EXPORT_MAX_ENTRY_BYTES must be a whole number above 0, not "16MB"/);
  });
});
