import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { OsvRecord } from '@repoguard/domain';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { createMikroOrmConfig } from '../persistence/mikro-orm.config';
import { dropDatabase, prepareDatabase } from '../persistence/database-bootstrap';
import { readOsvExport } from './osv-export-reader';
import { PostgresAdvisoryMirror } from './postgres-advisory-mirror';
import { freshDatabaseUrl } from '../../../../test/support/fresh-database';

function advisory(id: string, modified: string, extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified,
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Django_REST.framework' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0' }] }],
      },
    ],
    ...extra,
  };
}

describe('the PostgreSQL advisory mirror', () => {
  const databaseUrl = freshDatabaseUrl('mirror');
  let orm: MikroORM;
  let mirror: PostgresAdvisoryMirror;

  const packagesOf = async (id: string) =>
    (await orm.em
      .getConnection()
      .execute('select ecosystem, name from mirrored_advisory_packages where advisory_id = ? order by name', [
        id,
      ])) as { ecosystem: string; name: string }[];
  const held = async (id: string) =>
    (
      (await orm.em
        .getConnection()
        .execute('select record, imported_at::text as imported from mirrored_advisories where id = ?', [
          id,
        ])) as { record: OsvRecord; imported: string }[]
    )[0];

  beforeAll(async () => {
    await prepareDatabase(databaseUrl);
    orm = await MikroORM.init(createMikroOrmConfig({ databaseUrl, poolMax: 2 }));
    mirror = new PostgresAdvisoryMirror(orm.em.fork());
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(databaseUrl);
  });

  it('imports the real PyPI export once, then finds nothing to write the second time', async () => {
    const { records } = readOsvExport(sharedOsvExport('PyPI-all.zip'));
    const ids = new Set(records.map((r) => r.id));
    expect(await mirror.state()).toMatchObject({ advisories: 0, lastImportAt: null });

    const first = await mirror.import(records);
    expect(first).toMatchObject({ read: records.length, inserted: ids.size, updated: 0, invalid: [] });
    expect(first.unchanged).toBe(records.length - ids.size);
    const afterFirst = await mirror.state();
    expect(afterFirst.advisories).toBe(ids.size);

    const second = await mirror.import(records);
    expect(second).toEqual({
      read: records.length,
      inserted: 0,
      updated: 0,
      unchanged: records.length,
      // Records handed over, not a zip the mirror could leave entries of unread.
      unread: 0,
      withdrawn: 0,
      invalid: [],
      writtenAt: null,
      // The report names the events it had to read by a rule, whether it wrote the record or not.
      diagnostics: {
        total: 2,
        advisories: 2,
        byRule: { RANGE_LEFT_OPEN: 2 },
        sample: [
          expect.objectContaining({ advisoryId: 'PYSEC-2019-125', event: 'fixed', value: '2019-09-12' }),
          expect.objectContaining({ advisoryId: 'PYSEC-2021-371', event: 'fixed', value: '0.2.0-n653' }),
        ],
      },
    });
    expect(first.diagnostics).toEqual(second.diagnostics);
    expect(await mirror.state()).toEqual(afterFirst);

    // Every package an advisory names is a lookup key, PEP 503-normalised.
    const sample = records.find((r) => (r.affected ?? []).some((a) => a.package?.name))!;
    const names = (await packagesOf(sample.id)).map((p) => p.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toBe(name.toLowerCase().replace(/[-_.]+/g, '-'));
  });

  it('replaces a record only with a newer copy, and keeps the newest of duplicates', async () => {
    const id = `RG-MIRROR-${randomUUID()}`;
    await mirror.import([advisory(id, '2026-01-01T00:00:00Z', { summary: 'first' })]);
    expect(await packagesOf(id)).toEqual([{ ecosystem: 'PyPI', name: 'django-rest-framework' }]);

    const older = await mirror.import([advisory(id, '2025-06-01T00:00:00Z', { summary: 'older' })]);
    expect(older).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect((await held(id))!.record.summary).toBe('first');

    const newer = await mirror.import([
      advisory(id, '2026-03-01T00:00:00Z', { summary: 'newest' }),
      advisory(id, '2026-02-01T00:00:00Z', { summary: 'between' }),
    ]);
    expect(newer).toMatchObject({ read: 2, inserted: 0, updated: 1, unchanged: 1 });
    expect((await held(id))!.record.summary).toBe('newest');
  });

  it('keeps a withdrawn record and the packages it names, stamped as written', async () => {
    const id = `RG-MIRROR-${randomUUID()}`;
    const first = await mirror.import([advisory(id, '2026-01-01T00:00:00Z')]);
    expect(first.writtenAt).toEqual(expect.any(String));
    expect(await packagesOf(id)).toHaveLength(1);

    const report = await mirror.import([
      advisory(id, '2026-02-01T00:00:00Z', { withdrawn: '2026-02-01T00:00:00Z' }),
    ]);
    expect(report).toMatchObject({ updated: 1, withdrawn: 1 });
    expect(Date.parse(report.writtenAt!)).toBeGreaterThanOrEqual(Date.parse(first.writtenAt!));
    // Still named, so re-matching finds the repositories whose findings it must clear.
    expect(await packagesOf(id)).toEqual([{ ecosystem: 'PyPI', name: 'django-rest-framework' }]);
    expect((await held(id))!.record.withdrawn).toBe('2026-02-01T00:00:00Z');

    // An older, not withdrawn copy arriving later changes nothing.
    const older = await mirror.import([advisory(id, '2026-01-15T00:00:00Z')]);
    expect(older).toMatchObject({ unchanged: 1, writtenAt: null });
    expect((await held(id))!.record.withdrawn).toBe('2026-02-01T00:00:00Z');
  });

  it('skips a record whose modified is not a date, naming it, and imports the rest', async () => {
    const good = `RG-MIRROR-${randomUUID()}`;
    const report = await mirror.import([
      advisory('RG-BAD-DATE', 'yesterday'),
      advisory(good, '2026-01-01T00:00:00Z'),
    ]);
    expect(report).toMatchObject({ read: 1, inserted: 1, invalid: ['RG-BAD-DATE'] });
    expect(await held('RG-BAD-DATE')).toBeUndefined();
  });

  describe('streaming an export', () => {
    // Ids of their own per test: the mirror is shared by the tests of this file.
    const many = (prefix: string, count: number, modified = '2026-01-01T00:00:00Z') =>
      Array.from({ length: count }, (_, i) => advisory(`${prefix}-${String(i).padStart(4, '0')}`, modified));
    /** Every row of both tables, with the transaction that last wrote it: "touched" shows here. */
    const everything = async () => ({
      advisories: await orm.em
        .getConnection()
        .execute(
          'select id, modified::text, withdrawn::text, record, imported_at::text, xmin::text from mirrored_advisories order by id',
        ),
      packages: await orm.em
        .getConnection()
        .execute(
          'select ecosystem, name, advisory_id, xmin::text from mirrored_advisory_packages order by advisory_id, name',
        ),
    });

    it('leaves the packages of a newer copy another import wrote meanwhile, writing nothing of its older one', async () => {
      const id = `RG-RACE-${randomUUID()}`;
      const naming = (name: string) => [
        {
          package: { ecosystem: 'PyPI', name },
          ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }] }],
        },
      ];
      const older = advisory(id, '2026-01-01T00:00:00Z', { affected: naming('rg-race-older') });
      const newer = advisory(id, '2026-02-01T00:00:00Z', { affected: naming('rg-race-newer') });
      let resume: () => void = () => undefined;
      let paused: () => void = () => undefined;
      const pausedAfterFirst = new Promise<void>((resolve) => (paused = resolve));
      // The slow import has read what the mirror held (not this id) when the other one writes.
      async function* slow() {
        yield advisory(`${id}-first`, '2026-01-01T00:00:00Z');
        paused();
        await new Promise<void>((resolve) => (resume = resolve));
        yield older;
      }
      const slowImport = new PostgresAdvisoryMirror(orm.em.fork()).import(slow());
      await pausedAfterFirst;
      expect(await new PostgresAdvisoryMirror(orm.em.fork()).import([newer])).toMatchObject({ inserted: 1 });
      resume();
      expect(await slowImport).toMatchObject({ read: 2, inserted: 1, unchanged: 1 });
      expect((await held(id))!.record.modified).toBe(newer.modified);
      expect(await packagesOf(id)).toEqual([{ ecosystem: 'PyPI', name: 'rg-race-newer' }]);
    });

    it('takes an async iterable, and an export of exactly one batch', async () => {
      const prefix = `RG-ASYNC-${randomUUID()}`;
      const records = many(prefix, 500);
      async function* stream() {
        for (const record of records) yield record;
      }
      const report = await mirror.import(stream());
      expect(report).toMatchObject({ read: 500, inserted: 500, updated: 0, unchanged: 0, invalid: [] });
      expect(report.writtenAt).toEqual(expect.any(String));
      expect((await held(`${prefix}-0499`))!.record.id).toBe(`${prefix}-0499`);
    });

    it('writes nothing, and touches no row, when a read fails after several batches', async () => {
      const prefix = `RG-ROLLBACK-${randomUUID()}`;
      await mirror.import(many(prefix, 300));
      const before = await everything();
      let yielded = 0;
      async function* damaged() {
        // Newer copies of the held ones, then new ones: three batches' worth before the damage.
        for (const record of [...many(prefix, 300, '2026-02-01T00:00:00Z'), ...many(`${prefix}-NEW`, 1200)]) {
          yielded++;
          yield record;
        }
        throw Object.assign(new Error('entry zz.json unzips to more than its header declares'), {
          code: 'ADVISORY_EXPORT_INVALID',
        });
      }
      await expect(mirror.import(damaged())).rejects.toMatchObject({ code: 'ADVISORY_EXPORT_INVALID' });
      expect(yielded).toBe(1500);
      expect(await everything()).toEqual(before);
    });

    it('reads an unchanged export again without touching a row', async () => {
      const prefix = `RG-AGAIN-${randomUUID()}`;
      await mirror.import(many(prefix, 1100));
      const before = await everything();
      const again = await mirror.import(many(prefix, 1100));
      expect(again).toMatchObject({ read: 1100, inserted: 0, updated: 0, unchanged: 1100, writtenAt: null });
      expect(await everything()).toEqual(before);
    });

    it('keeps the newest of duplicates within a batch and across batches, counting each id once', async () => {
      const prefix = `RG-DUPS-${randomUUID()}`;
      const [inBatch, newerLater, olderLater, heldBefore] = [
        'IN-BATCH',
        'NEWER-LATER',
        'OLDER-LATER',
        'HELD',
      ].map((name) => `${prefix}-${name}`);
      await mirror.import([advisory(heldBefore!, '2026-01-01T00:00:00Z', { summary: 'held' })]);
      const fillers = many(`${prefix}-FILL`, 600);
      const report = await mirror.import([
        advisory(inBatch!, '2026-02-01T00:00:00Z', { summary: 'older' }),
        advisory(inBatch!, '2026-03-01T00:00:00Z', { summary: 'newest' }),
        advisory(inBatch!, '2026-01-01T00:00:00Z', { summary: 'oldest' }),
        advisory(newerLater!, '2026-02-01T00:00:00Z', {
          summary: 'older',
          withdrawn: '2026-02-01T00:00:00Z',
        }),
        advisory(olderLater!, '2026-03-01T00:00:00Z', {
          summary: 'newest',
          withdrawn: '2026-03-01T00:00:00Z',
        }),
        advisory(heldBefore!, '2026-02-01T00:00:00Z', { summary: 'older' }),
        // More than a batch between the copies: the first are written before the later are read.
        ...fillers,
        advisory(newerLater!, '2026-03-01T00:00:00Z', { summary: 'newest' }),
        advisory(olderLater!, '2026-02-01T00:00:00Z', { summary: 'older' }),
        advisory(heldBefore!, '2026-03-01T00:00:00Z', { summary: 'newest' }),
        advisory(heldBefore!, '2025-01-01T00:00:00Z', { summary: 'oldest' }),
      ]);
      expect(report).toMatchObject({
        read: 610,
        inserted: 603,
        updated: 1,
        // Duplicates inside one export count once, as the copy that was kept.
        unchanged: 610 - 604,
        // The kept copy of newerLater is not withdrawn; that of olderLater is.
        withdrawn: 1,
        invalid: [],
      });
      for (const id of [inBatch, newerLater, olderLater, heldBefore])
        expect([id, (await held(id!))!.record.summary]).toEqual([id, 'newest']);
      expect((await held(newerLater!))!.record.withdrawn).toBeUndefined();
      expect((await held(olderLater!))!.record.withdrawn).toBe('2026-03-01T00:00:00Z');
    });
  });
});
