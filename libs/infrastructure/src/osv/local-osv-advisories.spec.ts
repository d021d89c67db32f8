import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { AdvisoryIndex, advisoryKey, type Ecosystem, type OsvRecord } from '@repoguard/domain';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { pypiAdvisory } from '../../../../test/support/osv-advisories';
import { buildZip } from '../../../../test/support/zip-builder';
import { FileOsvCatalogCache, zipIdentity } from './file-osv-catalog-cache';
import { checksum } from './private-cache-file';
import { DEFAULT_OSV_EXPORT_LIMITS } from './osv-export-limits';
import { readOsvExport } from './osv-export-reader';
import { LocalOsvAdvisories } from './local-osv-advisories';
import { catalogText, OsvCatalogText } from './osv-catalog-text';

// Real exports: a few seconds on a busy machine.
jest.setTimeout(60_000);

const EXPORTS = ['PyPI-all.zip', 'PyPI-ghsa.zip', 'npm-ghsa.zip', 'Go-ghsa.zip'].map(sharedOsvExport);
const PACKAGES: [Ecosystem, string][] = [
  ['PyPI', 'django'],
  ['PyPI', 'Jinja2'],
  ['PyPI', 'requests'],
  ['PyPI', 'pillow'],
  ['npm', 'lodash'],
  ['npm', 'vite'],
  ['Go', 'golang.org/x/net'],
  ['PyPI', 'no-such-package-anywhere'],
];
const KEYS = new Set(PACKAGES.map(([e, n]) => advisoryKey(e, n)));

/** What a check sees of an index: per package, the records and the matches at a few versions. */
function view({ index, count }: { index: AdvisoryIndex; count: number }) {
  return {
    size: count,
    packages: PACKAGES.map(([ecosystem, name]) => ({
      records: index.recordsFor(ecosystem, name),
      matches: ['0.1', '1.0', '2.2.0', '3.2.0', '4.17.15'].map((v) =>
        index.match(ecosystem, name, v).map((m) => [m.record.id, m.fixedVersions]),
      ),
    })),
  };
}

/** The catalog file with its catalog text edited and its header's checksums made to match. */
function forged(text: string, edit: (catalog: string) => string): string {
  const newline = text.indexOf('\n');
  const [header, catalog] = [text.slice(0, newline), text.slice(newline + 1)];
  const edited = edit(catalog);
  expect(edited).not.toBe(catalog);
  const split = edited.indexOf('\n');
  const [head, body] = [edited.slice(0, split), edited.slice(split + 1)];
  const fixedHeader = JSON.parse(header) as { header: { head: string }; body: string };
  fixedHeader.header.head = checksum(head);
  fixedHeader.body = checksum(body);
  return `${JSON.stringify(fixedHeader)}\n${edited}`;
}

async function open(sources: readonly string[], cacheDir: string) {
  const local = new LocalOsvAdvisories({ cache: new FileOsvCatalogCache(cacheDir) });
  const problems = [];
  for (const source of sources) problems.push(await local.add(source));
  return { index: await local.indexFor(KEYS), problems };
}

describe('LocalOsvAdvisories', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'repoguard-osv-catalog-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes the scanned packages of the real exports as a read of every record does, cold and cached', async () => {
    const reference = new AdvisoryIndex();
    const referenceProblems = EXPORTS.map((source) => {
      const read = readOsvExport(source);
      for (const record of read.records) reference.add(record);
      return read.problems;
    });
    const expected = view({ index: reference, count: reference.size });
    expect(expected.packages.filter((p) => p.records.length > 0).length).toBeGreaterThanOrEqual(6);

    const cold = await open(EXPORTS, dir);
    expect(view(cold.index)).toEqual(expected);
    expect(cold.problems).toEqual(referenceProblems);

    const cache = new FileOsvCatalogCache(dir);
    const cached = await open(EXPORTS, dir);
    expect(readFileSync(cache.fileFor(EXPORTS[0]!), 'utf8')).toContain('repoguard-osv-catalog/');
    expect(view(cached.index)).toEqual(expected);
    expect(cached.problems).toEqual(referenceProblems);
  });

  describe('the catalog cache', () => {
    const record = (id: string, name: string, modified = '2026-01-01T00:00:00Z') => ({
      ...pypiAdvisory(id, name, 'HIGH'),
      modified,
    });
    const zipOf = (records: object[]) =>
      buildZip(records.map((r) => ({ name: `${(r as OsvRecord).id}.json`, content: JSON.stringify(r) })));
    const ids = ({ index }: { index: AdvisoryIndex }) =>
      index
        .recordsFor('PyPI', 'alpha')
        .map((r) => r.id)
        .sort();
    const openZip = async (zip: string) => {
      const local = new LocalOsvAdvisories({ cache: new FileOsvCatalogCache(dir) });
      await local.add(zip);
      return local.indexFor(new Set([advisoryKey('PyPI', 'alpha')]));
    };

    it('is not used once the zip changes, even at the same size and mtime', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'delta')]));
      const size = statSync(zip).size;
      utimesSync(zip, 1_700_000_000, 1_700_000_000);
      expect(ids(await openZip(zip))).toEqual(['PYSEC-1']);

      // Same length, same mtime, other bytes: delta's advisory now names alpha.
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
      utimesSync(zip, 1_700_000_000, 1_700_000_000);
      expect(statSync(zip).size).toBe(size);
      expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
    });

    it('is not used once the zip is replaced by a rename, even at the same size and mtime', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'delta')]));
      utimesSync(zip, 1_700_000_000, 1_700_000_000);
      expect(ids(await openZip(zip))).toEqual(['PYSEC-1']);

      const replacement = path.join(dir, 'all.zip.new');
      writeFileSync(replacement, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
      utimesSync(replacement, 1_700_000_000, 1_700_000_000);
      expect(statSync(replacement).size).toBe(statSync(zip).size);
      renameSync(replacement, zip);
      expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
    });

    it('is trusted only when nobody else could have written it: its file and folder are private', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
      await openZip(zip);
      const cache = new FileOsvCatalogCache(dir);
      const file = cache.fileFor(zip);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // A well-formed catalog that hides PYSEC-2 (its entry said to name gamma, not alpha): only
      // the catalog's writer can do that, so where others can write it is never read.
      const hiding = forged(readFileSync(file, 'utf8'), (body) => {
        const catalog = OsvCatalogText.of(Buffer.from(body));
        const entries = catalog.allEntries().map(({ entry }) => ({
          ...entry,
          records: entry.records.map((r) =>
            r.id === 'PYSEC-2' ? { ...r, keys: [advisoryKey('PyPI', 'gamma')] } : r,
          ),
        }));
        return catalogText({ entries, problems: catalog.problems });
      });
      // The limit: where only this user can write, such a catalog is believed.
      writeFileSync(file, hiding);
      expect(ids(await openZip(zip))).toEqual(['PYSEC-1']);
      for (const unsafe of [() => chmodSync(file, 0o666), () => chmodSync(path.dirname(file), 0o777)]) {
        writeFileSync(file, hiding, { mode: 0o600 });
        chmodSync(file, 0o600);
        chmodSync(path.dirname(file), 0o700);
        unsafe();
        expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
      }
      chmodSync(path.dirname(file), 0o700);
    });

    it('is not used when a folder above it can be written by others (unless sticky, as /tmp is)', async () => {
      const parent = path.join(dir, 'shared');
      const cacheDir = path.join(parent, 'repoguard', 'osv-catalogs');
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha')]));
      const cache = new FileOsvCatalogCache(cacheDir);
      mkdirSync(parent, { mode: 0o777 });
      chmodSync(parent, 0o777);
      await new LocalOsvAdvisories({ cache }).add(zip);
      // Whoever can write `shared` can swap `repoguard` for a folder of their own.
      expect(existsSync(cache.fileFor(zip))).toBe(false);
      chmodSync(parent, 0o1777);
      await new LocalOsvAdvisories({ cache }).add(zip);
      expect(existsSync(cache.fileFor(zip))).toBe(true);
      chmodSync(parent, 0o777);
      expect(cache.read(zip, zipIdentity(statSync(zip)), DEFAULT_OSV_EXPORT_LIMITS)).toBeUndefined();
    });

    it.each([
      ['garbage', () => 'not a catalog at all'],
      ['cut short', (text: string) => text.slice(0, Math.floor(text.length * 0.7))],
      [
        'from another version',
        (text: string) => text.replace('repoguard-osv-catalog/5', 'repoguard-osv-catalog/4'),
      ],
      // The body edited (an advisory taken out of what alpha names) without its hash.
      ['edited', (text: string) => text.replace('"PyPI\\u0000alpha"', '"PyPI\\u0000gamma"')],
    ])('is ignored and rebuilt when %s', async (_, spoil: (text: string) => string) => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
      expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
      const file = new FileOsvCatalogCache(dir).fileFor(zip);
      const good = readFileSync(file, 'utf8');
      const spoilt = spoil(good);
      expect(spoilt).not.toBe(good);
      writeFileSync(file, spoilt);

      expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
      expect(readFileSync(file, 'utf8')).toBe(good);
    });

    it('is rebuilt, not reused, when another release of the CLI wrote it', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'delta')]));
      const identity = zipIdentity(statSync(zip));
      const release = (name: string) => new FileOsvCatalogCache(dir, name);
      await new LocalOsvAdvisories({ cache: release('bundle a') }).add(zip);
      expect(release('bundle a').read(zip, identity, DEFAULT_OSV_EXPORT_LIMITS)).toBeDefined();
      expect(release('bundle b').read(zip, identity, DEFAULT_OSV_EXPORT_LIMITS)).toBeUndefined();
      expect(new FileOsvCatalogCache(dir).read(zip, identity, DEFAULT_OSV_EXPORT_LIMITS)).toBeUndefined();

      const local = new LocalOsvAdvisories({ cache: release('bundle b') });
      await local.add(zip);
      expect(ids(await local.indexFor(new Set([advisoryKey('PyPI', 'alpha')])))).toEqual(['PYSEC-1']);
      const header = JSON.parse(readFileSync(release('bundle b').fileFor(zip), 'utf8').split('\n')[0]!) as {
        header: { release: string };
      };
      expect(header.header.release).toBe('bundle b');
    });

    it('is rebuilt, not trusted, when a well-formed catalog does not describe the bytes it names', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
      await openZip(zip);
      const cache = new FileOsvCatalogCache(dir);
      const file = cache.fileFor(zip);
      // A hand-made catalog with a matching header: PYSEC-1's entry said to be PYSEC-9's.
      writeFileSync(
        file,
        forged(readFileSync(file, 'utf8'), (body) => body.replace('"PYSEC-1"', '"PYSEC-9"')),
      );

      expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
      expect(readFileSync(file, 'utf8')).not.toContain('PYSEC-9');
    });

    it('is rebuilt, not trusted, when a line it reads when asked for a package is not what it says', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
      await openZip(zip);
      const file = new FileOsvCatalogCache(dir).fileFor(zip);
      // alpha's line says its first entry starts a character later: inside that entry's line.
      const spoilt = forged(readFileSync(file, 'utf8'), (body) =>
        body.replace(/("PyPI\\u0000alpha"\t)0,/, '$11,'),
      );
      writeFileSync(file, spoilt);
      expect(
        new FileOsvCatalogCache(dir).read(zip, zipIdentity(statSync(zip)), DEFAULT_OSV_EXPORT_LIMITS),
      ).toBeDefined();

      expect(ids(await openZip(zip))).toEqual(['PYSEC-1', 'PYSEC-2']);
      expect(readFileSync(file, 'utf8')).not.toBe(spoilt);
    });

    describe('read in parts', () => {
      const npmRecord = (id: string, name: string) => {
        const r = record(id, name);
        return { ...r, affected: r.affected.map((a) => ({ ...a, package: { ecosystem: 'npm', name } })) };
      };
      const check = async (zips: string[], key: string) => {
        const local = new LocalOsvAdvisories({ cache: new FileOsvCatalogCache(dir) });
        for (const zip of zips) await local.add(zip);
        const [ecosystem, name] = key.split('/') as [Ecosystem, string];
        const found = await local.indexFor(new Set([advisoryKey(ecosystem, name)]));
        return { ids: found.index.recordsFor(ecosystem, name).map((r) => r.id), count: found.count };
      };
      /** The file with one byte of its catalog's body changed, its header left as it was. */
      const bodySpoilt = (text: string) => {
        const at = text.lastIndexOf('PYSEC-2');
        return `${text.slice(0, at)}PYSEC-3${text.slice(at + 'PYSEC-2'.length)}`;
      };

      it('reads no more than the head of a catalog the check does not look in, and the whole of one it does', async () => {
        const pypi = path.join(dir, 'pypi.zip');
        writeFileSync(pypi, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
        const npm = path.join(dir, 'npm.zip');
        writeFileSync(npm, await zipOf([npmRecord('GHSA-1', 'gamma')]));
        expect(await check([pypi, npm], 'npm/gamma')).toEqual({ ids: ['GHSA-1'], count: 3 });
        const file = new FileOsvCatalogCache(dir).fileFor(pypi);
        const spoilt = bodySpoilt(readFileSync(file, 'utf8'));
        writeFileSync(file, spoilt);

        // npm's packages: PyPI's catalog is read to its head, which is intact, and no further.
        expect(await check([pypi, npm], 'npm/gamma')).toEqual({ ids: ['GHSA-1'], count: 3 });
        expect(readFileSync(file, 'utf8')).toBe(spoilt);
        // PyPI's: its body is read, found not to be the one its header vouched for, and rebuilt.
        expect(await check([pypi, npm], 'PyPI/alpha')).toEqual({ ids: ['PYSEC-1', 'PYSEC-2'], count: 3 });
        expect(readFileSync(file, 'utf8')).not.toBe(spoilt);
        expect(readFileSync(file, 'utf8')).toContain('PYSEC-2');
      });

      it('reads the body of the catalog its head was read with, or none: one replaced meanwhile is rebuilt', async () => {
        // Catalogs past the first read (8 KB), so the body is read afresh when it is needed.
        const fillers = (prefix: string) =>
          Array.from({ length: 700 }, (_, i) => record(`${prefix}-${i}`, `${prefix}-package-${i}`));
        const zip = path.join(dir, 'all.zip');
        writeFileSync(
          zip,
          await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha'), ...fillers('A')]),
        );
        const other = path.join(dir, 'other.zip');
        writeFileSync(
          other,
          await zipOf([record('PYSEC-8', 'alpha'), record('PYSEC-9', 'alpha'), ...fillers('B')]),
        );
        await openZip(zip);
        await openZip(other);
        const cache = new FileOsvCatalogCache(dir);
        expect(statSync(cache.fileFor(zip)).size).toBeGreaterThan(8 * 1024);
        const local = new LocalOsvAdvisories({ cache });
        await local.add(zip);
        // Between the head and the body, the file comes to hold another zip's catalog whole.
        writeFileSync(cache.fileFor(zip), readFileSync(cache.fileFor(other)));

        expect(ids(await local.indexFor(new Set([advisoryKey('PyPI', 'alpha')])))).toEqual([
          'PYSEC-1',
          'PYSEC-2',
        ]);
        expect(readFileSync(cache.fileFor(zip), 'utf8')).toContain('PYSEC-1');
        expect(readFileSync(cache.fileFor(zip), 'utf8')).not.toContain('PYSEC-8');
      });

      it('reads a summary longer than the first read (a zip of many entries that are not OSV records)', async () => {
        const zip = path.join(dir, 'all.zip');
        const junk = Array.from({ length: 300 }, (_, i) => ({ name: `not-osv-${i}.json`, content: '{}' }));
        const records = [record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')];
        writeFileSync(
          zip,
          await buildZip([
            ...junk,
            ...records.map((r) => ({ name: `${r.id}.json`, content: JSON.stringify(r) })),
          ]),
        );
        const written: number[] = [];
        for (const pass of ['cold', 'cached']) {
          const local = new LocalOsvAdvisories({ cache: new FileOsvCatalogCache(dir) });
          const problems = await local.add(zip);
          const found = await local.indexFor(new Set([advisoryKey('PyPI', 'alpha')]));
          expect([pass, problems.length, ids(found)]).toEqual([pass, 300, ['PYSEC-1', 'PYSEC-2']]);
          written.push(statSync(new FileOsvCatalogCache(dir).fileFor(zip)).ino);
        }
        // The cached pass read the catalog the cold one wrote, not one of its own.
        expect(written[1]).toBe(written[0]);
        const head = readFileSync(new FileOsvCatalogCache(dir).fileFor(zip), 'utf8').split('\n')[1]!;
        expect(head.length).toBeGreaterThan(8 * 1024);
      });

      it("rebuilds only the catalog whose body is damaged, not the other zips'", async () => {
        const pypi = path.join(dir, 'pypi.zip');
        writeFileSync(pypi, await zipOf([record('PYSEC-1', 'alpha'), record('PYSEC-2', 'alpha')]));
        const npm = path.join(dir, 'npm.zip');
        writeFileSync(npm, await zipOf([npmRecord('GHSA-1', 'gamma'), npmRecord('GHSA-2', 'gamma')]));
        await check([pypi, npm], 'PyPI/alpha');
        const cache = new FileOsvCatalogCache(dir);
        const file = cache.fileFor(npm);
        const text = readFileSync(file, 'utf8');
        const at = text.lastIndexOf('GHSA-2');
        writeFileSync(file, `${text.slice(0, at)}GHSA-3${text.slice(at + 'GHSA-2'.length)}`);
        const pypiCatalog = statSync(cache.fileFor(pypi));

        expect(await check([pypi, npm], 'npm/gamma')).toEqual({ ids: ['GHSA-1', 'GHSA-2'], count: 4 });
        expect(readFileSync(file, 'utf8')).toBe(text);
        const after = statSync(cache.fileFor(pypi));
        expect([after.ino, after.mtimeMs]).toEqual([pypiCatalog.ino, pypiCatalog.mtimeMs]);
      });

      it('looks for the other copies of a record in every zip that holds one, as the facts kept of the list say', async () => {
        const first = path.join(dir, 'first.zip');
        writeFileSync(first, await zipOf([record('PYSEC-1', 'alpha'), npmRecord('GHSA-7', 'gamma')]));
        // A later copy of PYSEC-1 in npm's zip naming no scanned package: it replaces the first.
        const later = path.join(dir, 'later.zip');
        writeFileSync(
          later,
          await zipOf([
            npmRecord('GHSA-1', 'gamma'),
            { ...npmRecord('PYSEC-1', 'delta'), modified: '2026-05-01T00:00:00Z' },
          ]),
        );
        for (const pass of ['cold', 'kept facts', 'facts spoilt']) {
          if (pass === 'facts spoilt')
            for (const name of readdirSync(dir).filter((n) => n.startsWith('zips-')))
              writeFileSync(path.join(dir, name), '{"spoilt": true}\n{}');
          expect([pass, await check([first, later], 'PyPI/alpha')]).toEqual([pass, { ids: [], count: 3 }]);
          expect([pass, await check([first, later], 'npm/gamma')]).toEqual([
            pass,
            { ids: ['GHSA-7', 'GHSA-1'], count: 3 },
          ]);
        }
      });
    });

    describe('with the entries kept inflated beside it', () => {
      const told = (zip: string) => async () => {
        const { index } = await openZip(zip);
        return index.recordsFor('PyPI', 'alpha').map((r) => [r.id, r.summary]);
      };
      /** A zip whose PYSEC-2 says where it was read from, catalogued with its entries kept. */
      const catalogued = async () => {
        const zip = path.join(dir, 'all.zip');
        const told = { ...record('PYSEC-2', 'alpha'), summary: 'told by the zip' };
        writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha'), told]));
        await openZip(zip);
        return { zip, cache: new FileOsvCatalogCache(dir) };
      };

      it('reads an entry from its kept text, not the zip, when the text is what the catalog says', async () => {
        const { zip, cache } = await catalogued();
        const file = cache.fileFor(zip);
        const entry = OsvCatalogText.of(
          Buffer.from(readFileSync(file, 'utf8').split('\n').slice(1).join('\n')),
        )
          .allEntries()
          .map((e) => e.entry)
          .find((e) => e.records[0]!.id === 'PYSEC-2')!;
        // PYSEC-2's kept text told apart from the zip's, and the catalog made to say its CRC.
        const texts = readFileSync(cache.textsFileFor(zip));
        const text = texts.subarray(entry.textAt, entry.textAt + entry.uncompressedSize);
        const changed = Buffer.from(
          text.toString('latin1').replace('told by the zip', 'told by the txt'),
          'latin1',
        );
        changed.copy(texts, entry.textAt);
        writeFileSync(cache.textsFileFor(zip), texts);
        writeFileSync(
          file,
          forged(readFileSync(file, 'utf8'), (catalog) =>
            catalog.replace(`,${entry.textAt},${entry.textCrc}]`, `,${entry.textAt},${crc32(changed)}]`),
          ),
        );

        expect(await told(zip)()).toEqual([
          ['PYSEC-1', 'alpha is vulnerable'],
          ['PYSEC-2', 'told by the txt'],
        ]);
      });

      it('reads an entry from the zip when its kept text is damaged or gone, and keeps the catalog', async () => {
        const { zip, cache } = await catalogued();
        const catalog = statSync(cache.fileFor(zip));
        const expected = [
          ['PYSEC-1', 'alpha is vulnerable'],
          ['PYSEC-2', 'told by the zip'],
        ];
        const texts = readFileSync(cache.textsFileFor(zip), 'latin1');
        writeFileSync(cache.textsFileFor(zip), texts.replace('told by the zip', 'told by the txt'), 'latin1');
        expect(await told(zip)()).toEqual(expected);
        writeFileSync(cache.textsFileFor(zip), texts.slice(0, texts.length / 2), 'latin1');
        expect(await told(zip)()).toEqual(expected);
        rmSync(cache.textsFileFor(zip));
        expect(await told(zip)()).toEqual(expected);
        const after = statSync(cache.fileFor(zip));
        expect([after.ino, after.mtimeMs]).toEqual([catalog.ino, catalog.mtimeMs]);
      });
    });

    it('keeps the newer copy of a record even when that copy names no scanned package', async () => {
      const zip = path.join(dir, 'all.zip');
      writeFileSync(zip, await zipOf([record('PYSEC-1', 'alpha')]));
      const later = path.join(dir, 'later.zip');
      writeFileSync(later, await zipOf([record('PYSEC-1', 'beta', '2026-02-01T00:00:00Z')]));
      const local = new LocalOsvAdvisories({ cache: new FileOsvCatalogCache(dir) });
      await local.add(zip);
      await local.add(later);
      const found = await local.indexFor(new Set([advisoryKey('PyPI', 'alpha')]));
      expect(ids(found)).toEqual([]);
      expect(found.count).toBe(1);
    });
  });
});
