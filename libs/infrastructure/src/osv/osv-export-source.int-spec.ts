import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '@repoguard/activities';
import { DomainError, type AdvisoryImportReport } from '@repoguard/domain';
import { freshDatabaseUrl } from '../../../../test/support/fresh-database';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { buildZip } from '../../../../test/support/zip-builder';
import { dropDatabase, prepareDatabase } from '../persistence/database-bootstrap';
import { createMikroOrmConfig } from '../persistence/mikro-orm.config';
import { OsvExportImporter } from './advisory-sync.adapters';
import { DEFAULT_OSV_EXPORT_LIMITS, type OsvExportLimits } from './osv-export-limits';
import {
  collectOsvExport,
  ENTRY_READING,
  readOsvExport,
  readOsvExportWithin,
  streamOsvExportWithin,
} from './osv-export-reader';
import { readOsvExportFrom, streamOsvExportFrom } from './osv-export-source';

const MiB = 1024 * 1024;
const small: OsvExportLimits = {
  ...DEFAULT_OSV_EXPORT_LIMITS,
  maxUnzippedBytes: 4 * MiB,
  maxEntryBytes: MiB,
  maxEntries: 50,
};
const record = (id: string) => JSON.stringify({ id, modified: '2024-01-01T00:00:00Z' });

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DomainError ? error.code : (error as Error).message),
  );

describe('reading OSV exports within limits', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-export-limits-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const zipFile = async (name: string, entries: Parameters<typeof buildZip>[0]) => {
    const file = path.join(dir, name);
    writeFileSync(file, await buildZip(entries));
    return file;
  };

  it.each(['PyPI-all.zip', 'npm-ghsa.zip'])(
    'reads the real %s exactly as the in-memory reader does',
    async (file) => {
      const bounded = await readOsvExportWithin(sharedOsvExport(file), DEFAULT_OSV_EXPORT_LIMITS);
      expect(bounded).toEqual(readOsvExport(sharedOsvExport(file)));
      expect(bounded.records.length).toBeGreaterThan(100);
    },
  );

  it('holds a zip to each cap, by what it declares and by what it inflates to', async () => {
    const fine = await zipFile('fine.zip', [
      { name: 'A-1.json', content: record('A-1') },
      { name: 'notes.txt', content: 'not read' },
      { name: 'B-1.json', content: 'not json' },
    ]);
    expect(await readOsvExportWithin(fine, small)).toEqual({
      records: [{ id: 'A-1', modified: '2024-01-01T00:00:00Z' }],
      problems: [{ entry: `${fine}:B-1.json`, problem: expect.stringMatching(/^not valid JSON/) }],
    });
    const cases: [string, Parameters<typeof buildZip>[0], string][] = [
      ['entry.zip', [{ name: 'big.json', content: { zeros: 2 * MiB } }], 'ADVISORY_EXPORT_TOO_LARGE'],
      [
        'total.zip',
        Array.from({ length: 5 }, (_, i) => ({ name: `${i}.json`, content: { zeros: MiB } })),
        'ADVISORY_EXPORT_TOO_LARGE',
      ],
      [
        'count.zip',
        Array.from({ length: 51 }, (_, i) => ({ name: `${i}.json`, content: record(`C-${i}`) })),
        'ADVISORY_EXPORT_TOO_LARGE',
      ],
      [
        'liar.zip',
        [{ name: 'liar.json', content: { zeros: 16 * MiB }, declaredSize: 512 * 1024 }],
        'ADVISORY_EXPORT_INVALID',
      ],
      [
        'short.zip',
        [{ name: 'short.json', content: record('S-1'), declaredSize: 4096 }],
        'ADVISORY_EXPORT_INVALID',
      ],
    ];
    for (const [name, entries, code] of cases) {
      expect([name, await codeOf(readOsvExportWithin(await zipFile(name, entries), small))]).toEqual([
        name,
        code,
      ]);
    }
  });

  it('holds directories and JSON files to the caps by their sizes', async () => {
    const tree = path.join(dir, 'tree');
    mkdirSync(path.join(tree, 'nested'), { recursive: true });
    writeFileSync(path.join(tree, 'D-1.json'), record('D-1'));
    writeFileSync(path.join(tree, 'nested', 'D-2.json'), record('D-2'));
    expect((await readOsvExportWithin(tree, small)).records.map((r) => r.id)).toEqual(['D-1', 'D-2']);
    writeFileSync(path.join(tree, 'nested', 'D-3.json'), ' '.repeat(MiB + 1));
    expect(await codeOf(readOsvExportWithin(tree, small))).toBe('ADVISORY_EXPORT_TOO_LARGE');
    const json = path.join(dir, 'all.json');
    writeFileSync(json, ' '.repeat(4 * MiB + 1));
    expect(await codeOf(readOsvExportWithin(json, small))).toBe('ADVISORY_EXPORT_TOO_LARGE');
  });

  it('reads a zip whose entries are not stored in name order, in name order', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `O-${String(i).padStart(2, '0')}`);
    const zip = await zipFile(
      'shuffled.zip',
      ids
        .map((id, i) => ids[(i * 7) % ids.length]!)
        .map((id) => ({ name: `${id}.json`, content: record(id) })),
    );
    const read = await readOsvExportWithin(zip, small);
    expect(read.records.map((r) => r.id)).toEqual(ids);
    expect(read).toEqual(readOsvExport(zip));
  });

  it('refuses a zip by what its directory declares before yielding a record', async () => {
    const zip = await zipFile('late-cap.zip', [
      ...Array.from({ length: 3 }, (_, i) => ({ name: `A-${i}.json`, content: record(`A-${i}`) })),
      ...Array.from({ length: 5 }, (_, i) => ({ name: `Z-${i}.json`, content: { zeros: MiB } })),
    ]);
    const yielded: string[] = [];
    const reading = (async () => {
      for await (const r of streamOsvExportWithin(zip, small).records) yielded.push(r.id);
    })();
    expect(await codeOf(reading)).toBe('ADVISORY_EXPORT_TOO_LARGE');
    expect(yielded).toEqual([]);
  });

  describe('from URLs', () => {
    let server: Server;
    let base: string;
    let connections = 0;
    let two: Buffer;
    beforeAll(async () => {
      const zip = await buildZip([{ name: 'U-1.json', content: record('U-1') }]);
      two = await buildZip(['U-1', 'U-2'].map((id) => ({ name: `${id}.json`, content: record(id) })));
      server = createServer((req, res) => {
        const hops = /^\/hop\/(\d+)$/.exec(req.url ?? '');
        if (req.url === '/all.zip') res.writeHead(200).end(zip);
        else if (req.url === '/two.zip') res.writeHead(200).end(two);
        else if (req.url === '/to-ftp') res.writeHead(301, { location: 'ftp://127.0.0.1/all.zip' }).end();
        else if (hops) res.writeHead(307, { location: `/hop/${Number(hops[1]) + 1}` }).end();
        else if (req.url === '/moved/all.zip') res.writeHead(302, { location: '/all.zip' }).end();
        else res.writeHead(404).end();
      });
      server.on('connection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('refuses http:// and other schemes unless allowed, without connecting', async () => {
      expect(await codeOf(readOsvExportFrom(`${base}/all.zip`, { limits: small }))).toBe(
        'ADVISORY_SOURCE_NOT_ALLOWED',
      );
      expect(await codeOf(readOsvExportFrom('ftp://127.0.0.1/all.zip', { limits: small }))).toBe(
        'ADVISORY_SOURCE_NOT_ALLOWED',
      );
      expect(connections).toBe(0);
    });

    it('streams a download, removing its temporary file when read to the end or left early', async () => {
      // The download's own directory: new in the temp directory, holding exactly the zip served.
      const before = new Set(readdirSync(tmpdir()));
      const ours = () =>
        readdirSync(tmpdir()).filter((name) => {
          if (before.has(name) || !name.startsWith('repoguard-osv-export-')) return false;
          const file = path.join(tmpdir(), name, 'export.zip');
          return existsSync(file) && readFileSync(file).equals(two);
        });
      const allowed = { limits: { ...small, allowHttp: true } };
      const all = await collectOsvExport(streamOsvExportFrom(`${base}/two.zip`, allowed));
      expect(all.records.map((r) => r.id)).toEqual(['U-1', 'U-2']);
      expect(ours()).toEqual([]);
      let during: string[] = [];
      for await (const first of streamOsvExportFrom(`${base}/two.zip`, allowed).records) {
        expect(first.id).toBe('U-1');
        during = ours();
        break;
      }
      expect(during).toHaveLength(1);
      expect(existsSync(path.join(tmpdir(), during[0]!))).toBe(false);
    });

    it('follows redirects only to allowed schemes, and not for ever', async () => {
      const allowed = { limits: { ...small, allowHttp: true } };
      expect((await readOsvExportFrom(`${base}/moved/all.zip`, allowed)).records.map((r) => r.id)).toEqual([
        'U-1',
      ]);
      expect(await codeOf(readOsvExportFrom(`${base}/to-ftp`, allowed))).toBe('ADVISORY_SOURCE_NOT_ALLOWED');
      expect(await codeOf(readOsvExportFrom(`${base}/hop/0`, allowed))).toBe(
        'download failed: more than 5 redirects',
      );
    });
  });
});

describe('the importer the advisory sync runs', () => {
  const databaseUrl = freshDatabaseUrl('export_limits');
  let orm: MikroORM;
  let dir: string;
  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
    dir = mkdtempSync(path.join(tmpdir(), 'repoguard-export-import-'));
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing of an export that passes a cap, and fails the step for good', async () => {
    const bomb = path.join(dir, 'bomb.zip');
    writeFileSync(
      bomb,
      await buildZip([
        { name: 'A-1.json', content: record('A-1') },
        { name: 'Z-bomb.json', content: { zeros: 64 * MiB } },
      ]),
    );
    const importer = new OsvExportImporter(orm.em.fork(), { limits: small });
    const error = await importer.importFrom(bomb).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADVISORY_EXPORT_TOO_LARGE' });
    expect((error as Error).message).toMatch(
      /entry Z-bomb\.json .* OSV_EXPORT_MAX_ENTRY_BYTES \(1048576 bytes\)/,
    );
    // Permanent: the sync fails at once instead of downloading the bomb five times.
    const failure = toActivityFailure(error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ADVISORY_EXPORT_TOO_LARGE', nonRetryable: true });
    const [{ count }] = (await orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as count from mirrored_advisories')) as { count: number }[];
    expect(count).toBe(0);
  });

  it('writes nothing of an export whose entry lies after more than a batch of good ones', async () => {
    const rows = () =>
      orm.em
        .fork()
        .getConnection()
        .execute(
          'select id, modified::text, imported_at::text, xmin::text from mirrored_advisories order by id',
        );
    const importer = new OsvExportImporter(orm.em.fork(), { limits: small });
    const held = path.join(dir, 'held.zip');
    writeFileSync(held, await buildZip([{ name: 'H-1.json', content: record('H-1') }]));
    await importer.importFrom(held);
    const before = await rows();
    const liar = path.join(dir, 'liar-late.zip');
    writeFileSync(
      liar,
      await buildZip([
        ...Array.from({ length: 1200 }, (_, i) => ({
          name: `L-${String(i).padStart(4, '0')}.json`,
          content: record(`L-${i}`),
        })),
        { name: 'Z-liar.json', content: { zeros: 16 * MiB }, declaredSize: 512 * 1024 },
      ]),
    );
    const error = await new OsvExportImporter(orm.em.fork(), { limits: { ...small, maxEntries: 2000 } })
      .importFrom(liar)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ADVISORY_EXPORT_INVALID' });
    expect((error as Error).message).toMatch(/entry Z-liar\.json unzips to more than the 524288 bytes/);
    expect(await rows()).toEqual(before);
  });
  describe('an unchanged entry is left unread', () => {
    const at = (month: string) => `2024-${month}-01T00:00:00Z`;
    const json = (id: string, month = '01') => JSON.stringify({ id, modified: at(month) });
    const zip = async (name: string, entries: Parameters<typeof buildZip>[0]) => {
      const file = path.join(dir, name);
      writeFileSync(file, await buildZip(entries));
      return file;
    };
    const importer = () => new OsvExportImporter(orm.em.fork(), { limits: small });
    const held = async (prefix: string) =>
      (await orm.em
        .fork()
        .getConnection()
        .execute(
          `select id, record->>'modified' as modified, entry_digest is not null as digested, xmin::text,
                  imported_at::text, written_xid::text
             from mirrored_advisories where id like ? order by id`,
          [`${prefix}%`],
        )) as {
        id: string;
        modified: string;
        digested: boolean;
        xmin: string;
        imported_at: string;
        written_xid: string;
      }[];
    const counts = ({ read, inserted, updated, unchanged, unread, skipped }: AdvisoryImportReport) => ({
      read,
      inserted,
      updated,
      unchanged,
      unread,
      skipped,
    });

    it('reads nothing of an export already held, and counts each entry as read and unchanged', async () => {
      const ids = ['U-1', 'U-2', 'U-3'];
      const file = await zip(
        'u.zip',
        ids.map((id) => ({ name: `${id}.json`, content: json(id) })),
      );
      expect(counts(await importer().importFrom(file))).toEqual({
        read: 3,
        inserted: 3,
        updated: 0,
        unchanged: 0,
        unread: 0,
        skipped: 0,
      });
      const before = await held('U-');
      expect(before.every((row) => row.digested)).toBe(true);
      // The same directory over bytes that do not even inflate: read, they would refuse the export.
      const unreadable = await zip('u-unreadable.zip', [
        ...ids.map((id) => ({ name: `${id}.json`, content: json(id) })),
      ]);
      const bytes = readFileSync(unreadable);
      const dataAt = 30 + 'U-1.json'.length;
      bytes.fill(0xff, dataAt, dataAt + 8);
      writeFileSync(unreadable, bytes);
      expect(await codeOf(readOsvExportWithin(unreadable, small))).toBe('ADVISORY_EXPORT_INVALID');
      for (const source of [file, unreadable])
        expect(counts(await importer().importFrom(source))).toEqual({
          read: 3,
          inserted: 0,
          updated: 0,
          unchanged: 3,
          unread: 3,
          skipped: 0,
        });
      expect(await held('U-')).toEqual(before);
    });

    it('reads a changed entry of the same name, and writes it', async () => {
      const first = await zip('c1.zip', [
        { name: 'C-1.json', content: json('C-1') },
        { name: 'C-2.json', content: json('C-2') },
      ]);
      await importer().importFrom(first);
      const changed = await zip('c2.zip', [
        { name: 'C-1.json', content: json('C-1', '02') },
        { name: 'C-2.json', content: json('C-2') },
      ]);
      expect(counts(await importer().importFrom(changed))).toEqual({
        read: 2,
        inserted: 0,
        updated: 1,
        unchanged: 1,
        unread: 1,
        skipped: 0,
      });
      expect((await held('C-')).map((row) => [row.id, row.modified])).toEqual([
        ['C-1', at('02')],
        ['C-2', at('01')],
      ]);
    });

    it('reads once more an entry held under an older reading, then leaves it unread; keeps a current digest of other bytes', async () => {
      const file = await zip('v.zip', [
        { name: 'V-1.json', content: json('V-1') },
        { name: 'V-2.json', content: json('V-2') },
      ]);
      await importer().importFrom(file);
      const connection = orm.em.fork().getConnection();
      const digests = async () =>
        (await connection.execute(
          `select id, entry_digest from mirrored_advisories where id like 'V-%' order by id`,
        )) as {
          id: string;
          entry_digest: string;
        }[];
      const current = await digests();
      expect(current.map((row) => row.entry_digest)).toEqual([
        expect.stringMatching(new RegExp(`^r${ENTRY_READING}:[0-9a-f]{8}:\\d+$`)),
        expect.stringMatching(new RegExp(`^r${ENTRY_READING}:[0-9a-f]{8}:\\d+$`)),
      ]);
      // V-1 as an earlier release recorded it (no reading named): it does not vouch for the entry as
      // this release reads it. V-2 as if other bytes of the same record (another export's) had been
      // read by this release: replacing it would make two such exports replace each other's digest
      // at every import, so it is kept, and this entry read each time.
      await connection.execute(
        `update mirrored_advisories set entry_digest = split_part(entry_digest, ':', 2) || ':' || split_part(entry_digest, ':', 3) where id = 'V-1'`,
      );
      await connection.execute(
        `update mirrored_advisories set entry_digest = 'r${ENTRY_READING}:00000000:1' where id = 'V-2'`,
      );
      const before = await held('V-');
      expect(counts(await importer().importFrom(file))).toEqual({
        read: 2,
        inserted: 0,
        updated: 0,
        unchanged: 2,
        unread: 0,
        skipped: 0,
      });
      expect(await digests()).toEqual([
        current[0],
        { id: 'V-2', entry_digest: `r${ENTRY_READING}:00000000:1` },
      ]);
      // Only the digest was written: the records, imported_at and written_xid are as they were.
      expect((await held('V-')).map(({ xmin: _, ...row }) => row)).toEqual(
        before.map(({ xmin: _, ...row }) => row),
      );
      expect(counts(await importer().importFrom(file))).toMatchObject({ unchanged: 2, unread: 1 });
    });

    it('leaves what is held as it was when a directory claims the held CRC-32 for new bytes', async () => {
      const original = json('L-1');
      await importer().importFrom(await zip('l1.zip', [{ name: 'L-1.json', content: original }]));
      const before = await held('L-');
      // A newer record of the same size under the old CRC-32: never inflated, so never accepted.
      const liar = await zip('l2.zip', [
        { name: 'L-1.json', content: json('L-1', '03'), declaredCrc: crc32(Buffer.from(original)) },
      ]);
      expect(await codeOf(readOsvExportWithin(liar, small))).toBe('ADVISORY_EXPORT_INVALID');
      expect(counts(await importer().importFrom(liar))).toMatchObject({ unread: 1, updated: 0 });
      expect(await held('L-')).toEqual(before);
    });

    it('refuses an entry whose bytes are not the CRC-32 its directory declares, writing nothing', async () => {
      const liar = await zip('crc.zip', [
        { name: 'K-1.json', content: json('K-1') },
        { name: 'K-2.json', content: json('K-2'), declaredCrc: 0x12345678 },
      ]);
      const error = await importer()
        .importFrom(liar)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ADVISORY_EXPORT_INVALID' });
      expect((error as Error).message).toMatch(/entry K-2\.json does not match the CRC-32/);
      expect(await held('K-')).toEqual([]);
    });

    it('reads again, and reports again, what it could not keep by its digest', async () => {
      const file = await zip('p.zip', [
        { name: 'P-1.json', content: json('P-1') },
        // Refused, so not held: reported on every import.
        { name: 'P-2.json', content: JSON.stringify({ id: 'P-2' }) },
        // Two records in one entry: neither can be named by the entry's digest.
        { name: 'P-3.json', content: JSON.stringify([JSON.parse(json('P-3')), JSON.parse(json('P-4'))]) },
        // Not named by its id.
        { name: 'other-name.json', content: json('P-5') },
      ]);
      const first = await importer().importFrom(file);
      expect(counts(first)).toEqual({
        read: 4,
        inserted: 4,
        updated: 0,
        unchanged: 0,
        unread: 0,
        skipped: 1,
      });
      expect(counts(await importer().importFrom(file))).toEqual({
        read: 4,
        inserted: 0,
        updated: 0,
        unchanged: 4,
        unread: 1,
        skipped: 1,
      });
    });

    /** A record imported from a zip of its own, then held without a digest (as before the migration). */
    const heldWithoutDigest = async (id: string) => {
      const file = await zip(`${id}.zip`, [{ name: `${id}.json`, content: json(id) }]);
      await importer().importFrom(file);
      await orm.em
        .fork()
        .getConnection()
        .execute(`update mirrored_advisories set entry_digest = null where id = ?`, [id]);
      return file;
    };

    it('gives records held without a digest the digest of the entry read, then leaves it unread', async () => {
      const file = await heldWithoutDigest('D-1');
      const [stored] = await held('D-');
      expect(counts(await importer().importFrom(file))).toMatchObject({ unchanged: 1, unread: 0 });
      // Only the digest: the row's imported_at and written_xid, what re-matching reads, stay.
      const [digested] = await held('D-');
      expect(digested).toMatchObject({
        digested: true,
        modified: stored!.modified,
        imported_at: stored!.imported_at,
        written_xid: stored!.written_xid,
      });
      expect(counts(await importer().importFrom(file))).toMatchObject({ unchanged: 1, unread: 1 });
    });

    it('never waits for a row another transaction holds to give it a digest: it stays to be read next time', async () => {
      const file = await heldWithoutDigest('E-1');
      // Another import's open transaction holding the row (its batch locked it).
      const other = await orm.em.getDriver().getConnection().getKnex().client.acquireConnection();
      try {
        await other.query('begin');
        await other.query(`select id from mirrored_advisories where id = 'E-1' for update`);
        const report = await Promise.race([
          importer().importFrom(file),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the import waited')), 5_000)),
        ]);
        expect(counts(report)).toMatchObject({ unchanged: 1, unread: 0 });
        expect((await held('E-'))[0]).toMatchObject({ digested: false });
      } finally {
        await other.query('rollback');
        await orm.em.getDriver().getConnection().getKnex().client.releaseConnection(other);
      }
      await importer().importFrom(file);
      expect((await held('E-'))[0]).toMatchObject({ digested: true });
    });
  });
});
