import { IsolationLevel, type EntityManager, type Knex } from '@mikro-orm/postgresql';
import {
  isEcosystem,
  normalizePackageName,
  AdvisoryDiagnosticsSummarizer,
  type AdvisoryDiagnosticsSummary,
  type OsvRecord,
} from '@repoguard/domain';
import { ENTRY_READING, entryDigestOf } from './osv-export-reader';

export interface MirrorImportCounts {
  /**
   * Records offered, after dropping those whose `modified` is not a date, and zip entries left
   * unread as held already (`unread`).
   */
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  /** Already held with the same or a newer `modified`, or left unread: not written at all. */
  readonly unchanged: number;
  /**
   * Of the unchanged, the zip entries not read at all: the directory declares each the same bytes
   * (CRC-32 and size) as an entry read before whose one record was found no newer than the copy
   * held, under the same id. They add nothing to `diagnostics` (reported when first read), nor to
   * the reader's problems: an entry with any is never given a digest, and a refused record is not
   * held, so either is read and reported again.
   */
  readonly unread: number;
  /** Of those written, how many are withdrawn (kept, so an older copy cannot revive them; they match nothing). */
  readonly withdrawn: number;
  /** The stamp of what this import wrote (its transaction's start), or null when it wrote nothing. */
  readonly writtenAt: string | null;
  /** Records skipped because `modified` is not a date, with the id. */
  readonly invalid: readonly string[];
  /** Range events of the records read that could not be read as written, and the rule applied. */
  readonly diagnostics: AdvisoryDiagnosticsSummary;
}

const BATCH = 500;

/**
 * OSV advisories held in PostgreSQL, the source of mirror mode. Writes are keyed by id and
 * `modified`, so importing the same export again reads it and writes nothing, and an older copy
 * never replaces a newer one.
 */
export class PostgresAdvisoryMirror {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes the records, read one batch at a time, in one transaction: a read that throws part way
   * (a damaged export) rolls back everything this import wrote. Held across the export is only an
   * entry per id, never the records; the transaction opens with the first batch that changes
   * something, so an export already held writes nothing.
   */
  async import(
    records: Iterable<OsvRecord> | AsyncIterable<OsvRecord>,
    unread: { readonly count: number } = { count: 0 },
  ): Promise<MirrorImportCounts> {
    const iterator =
      Symbol.asyncIterator in records ? records[Symbol.asyncIterator]() : records[Symbol.iterator]();
    const invalid: string[] = [];
    const diagnostics = new AdvisoryDiagnosticsSummarizer();
    let read = 0;
    // id → `modified` (ms) as held before this import, looked up a batch of ids at a time (an
    // export names a fraction of a mirror of all of OSV, and loading every row per export cost
    // seconds each), then of each copy it wrote; `looked` also holds the ids found not held.
    const held = new Map<string, number>();
    const looked = new Set<string>();
    // id → the entry digest held with it (null: stored before digests were, or not from a zip
    // entry). An entry read replaces only a missing digest or one of an older reading: two entries
    // of the same record in other bytes (two exports, one re-serialised) would otherwise replace
    // each other's digest at every import, and both be read every time.
    const heldDigests = new Map<string, string | null>();
    // The ids this import wrote, how many the mirror did not hold before, and which are withdrawn.
    const written = new Set<string>();
    let inserted = 0;
    const withdrawn = new Set<string>();
    // The newest copy of each id wins, also between duplicates inside one export and one batch.
    let pending = new Map<string, { record: OsvRecord; modifiedMs: number }>();

    /** Reads until a batch of changed records is ready or the export ends; true at the end. */
    const fill = async (): Promise<boolean> => {
      let done = false;
      while (!done && pending.size < BATCH) {
        const candidates = new Map<string, { record: OsvRecord; modifiedMs: number }>();
        while (candidates.size < BATCH) {
          const next = await iterator.next();
          if (next.done) {
            done = true;
            break;
          }
          const record = next.value;
          const modifiedMs = Date.parse(record.modified);
          if (Number.isNaN(modifiedMs)) {
            invalid.push(record.id);
            continue;
          }
          read++;
          diagnostics.add(record);
          const current = candidates.get(record.id)?.modifiedMs;
          if (current === undefined || current < modifiedMs)
            candidates.set(record.id, { record, modifiedMs });
        }
        // Looked up once records are in hand: a refused export costs no query.
        const unknown = [...candidates.keys()].filter((id) => !looked.has(id));
        if (unknown.length > 0)
          for (const [id, { modifiedMs, digest }] of await heldModified(this.em, unknown)) {
            held.set(id, modifiedMs);
            heldDigests.set(id, digest);
          }
        for (const id of unknown) looked.add(id);
        const digests: { id: string; digest: string; modifiedMs: number }[] = [];
        for (const [id, candidate] of candidates) {
          const current = pending.get(id)?.modifiedMs ?? held.get(id);
          if (current !== undefined && current >= candidate.modifiedMs) {
            const digest = entryDigestOf(candidate.record);
            if (
              digest &&
              current === candidate.modifiedMs &&
              heldDigests.has(id) &&
              !currentReading(heldDigests.get(id) ?? null)
            ) {
              heldDigests.set(id, digest);
              digests.push({ id, digest, modifiedMs: current });
            }
            continue;
          }
          pending.set(id, candidate);
        }
        if (digests.length > 0) await recordDigests(this.em, digests);
      }
      return done;
    };

    let writtenAt: string | null = null;
    try {
      let done = await fill();
      if (pending.size > 0)
        await this.em.transactional(async (em) => {
          // Raw statements join the transaction only when handed its context. Sent with their
          // values as bind parameters: the connection's execute writes each value into the SQL
          // text, escaped, and a batch's records (their JSON copied twice more into one string of
          // megabytes) kept the importer's garbage collector busy for a third of its time.
          const trx = em.getTransactionContext<Knex.Transaction>();
          const knex = em.getKnex();
          const execute = async (sql: string, params: unknown[]) => {
            const query = knex.raw(sql, params as readonly Knex.RawBinding[]);
            // Outside the transaction a failed import would leave half its batches written.
            if (!trx) throw new Error('the mirror import must run inside its transaction');
            const result = (await query.transacting(trx)) as { rows: unknown[] };
            return result.rows;
          };
          const [stamp] = (await execute('select now()::text as now', [])) as { now: string }[];
          while (pending.size > 0) {
            const batch = [...pending.values()];
            pending = new Map();
            const kept = await writeBatch(execute, batch);
            for (const { record, modifiedMs } of batch) {
              if (!kept.has(record.id)) continue;
              if (!written.has(record.id)) {
                written.add(record.id);
                if (!held.has(record.id)) inserted++;
              }
              held.set(record.id, modifiedMs);
              if (withdrawnAt(record)) withdrawn.add(record.id);
              else withdrawn.delete(record.id);
            }
            if (!done) done = await fill();
          }
          writtenAt = stamp!.now;
        });
    } finally {
      // An export left part read (a refusal, a failed write) closes its zip and temporary files.
      await iterator.return?.();
    }
    return {
      read: read + unread.count,
      inserted,
      updated: written.size - inserted,
      // Duplicates inside one export count once, as the copy that was kept.
      unchanged: read + unread.count - written.size,
      unread: unread.count,
      withdrawn: withdrawn.size,
      invalid,
      writtenAt,
      // Of every record read, written or not (an entry left unread adds nothing: see `unread`).
      diagnostics: diagnostics.build(),
    };
  }

  /**
   * For the export reader's UnchangedEntries: of these ids, the digest of the zip entry each held
   * record was read from, where it was read from one.
   */
  async entryDigests(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = (await this.em
      .getConnection()
      .execute(
        'select id, entry_digest from mirrored_advisories where id in (?) and entry_digest is not null',
        [[...ids]],
      )) as { id: string; entry_digest: string }[];
    return new Map(rows.map((row) => [row.id, row.entry_digest]));
  }

  /** How many advisories the mirror holds, and when it last changed (null when empty). */
  async state(): Promise<MirrorState> {
    const [row] = (await this.em
      .getConnection()
      .execute(
        'select count(*)::int as advisories, max(imported_at)::text as last from mirrored_advisories',
      )) as { advisories: number; last: string | null }[];
    return { advisories: row?.advisories ?? 0, lastImportAt: row?.last ? new Date(row.last) : null };
  }

  /** Where the mirror stands now: a reader that starts here has seen nothing newer. */
  async cursor(): Promise<MirrorCursor> {
    const [snapshot] = (await this.em.fork().getConnection().execute(SNAPSHOT)) as SnapshotRow[];
    return { xmax: snapshot!.xmax, running: snapshot!.running };
  }

  /**
   * What became visible since the read that returned `cursor`: the advisories written (withdrawn
   * ones too) and the packages they now name, or `tooMany` when more than `limit` advisories were
   * written (the reader then forgets everything), with the cursor to ask with next time, all in one
   * snapshot. See `MirrorCursor` for why the rows it selects are exactly the new ones.
   */
  async changesSince(cursor: MirrorCursor, limit: number): Promise<MirrorChanges> {
    return this.em.fork().transactional(
      async (em) => {
        const trx = em.getTransactionContext();
        const run = <T>(sql: string, params: unknown[] = []) =>
          em.getConnection().execute(sql, params, 'all', trx) as Promise<T[]>;
        const [snapshot] = await run<SnapshotRow>(SNAPSHOT);
        const next = { xmax: snapshot!.xmax, running: snapshot!.running };
        const rows = await run<{ id: string }>(
          `select id from mirrored_advisories where ${NOT_SEEN} limit ?`,
          [...notSeenParams(cursor), limit + 1],
        );
        if (rows.length > limit) return { tooMany: true, advisoryIds: [], packages: [], cursor: next };
        const advisoryIds = rows.map((row) => row.id);
        const packages: PackageKey[] = [];
        for (let i = 0; i < advisoryIds.length; i += BATCH * 2) {
          packages.push(
            ...(await run<PackageKey>(
              'select distinct ecosystem, name from mirrored_advisory_packages where advisory_id in (?)',
              [advisoryIds.slice(i, i + BATCH * 2)],
            )),
          );
        }
        return { tooMany: false, advisoryIds, packages, cursor: next };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /**
   * The advisories, withdrawn ones left out, that name each of these packages (keys as the mirror
   * writes them: ecosystem and normalised name), each with its JSON as stored; a package none
   * names is absent from the answer. A record naming several of them is parsed once.
   */
  async recordsNaming(packages: readonly PackageKey[]): Promise<Map<string, SizedRecord[]>> {
    const found = new Map<string, SizedRecord[]>();
    const connection = this.em.fork().getConnection();
    for (let i = 0; i < packages.length; i += BATCH) {
      const slice = packages.slice(i, i + BATCH);
      const rows = (await connection.execute(
        // The keys as one JSON parameter: names come from manifests, and JSON needs no escaping here.
        `select p.ecosystem, p.name, a.id, a.record::text as record
           from jsonb_to_recordset(?::jsonb) as k(ecosystem text, name text)
           join mirrored_advisory_packages p on p.ecosystem = k.ecosystem and p.name = k.name
           join mirrored_advisories a on a.id = p.advisory_id and a.withdrawn is null`,
        [JSON.stringify(slice.map(({ ecosystem, name }) => ({ ecosystem, name })))],
      )) as { ecosystem: string; name: string; id: string; record: string }[];
      const parsed = new Map<string, SizedRecord>();
      for (const row of rows) {
        let sized = parsed.get(row.id);
        if (!sized)
          parsed.set(
            row.id,
            (sized = {
              record: JSON.parse(row.record) as OsvRecord,
              json: row.record,
              bytes: row.record.length,
            }),
          );
        const key = packageKeyString(row.ecosystem, row.name);
        const list = found.get(key);
        if (list) list.push(sized);
        else found.set(key, [sized]);
      }
    }
    return found;
  }

  /**
   * These advisories as held now, withdrawn ones too, by id: each one's `modified` as the record
   * spells it (what a match answered with), and its JSON as stored. An id the mirror lacks is absent.
   */
  async recordsById(ids: readonly string[]): Promise<Map<string, StoredRecord>> {
    const found = new Map<string, StoredRecord>();
    const connection = this.em.fork().getConnection();
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = (await connection.execute(
        `select id, record->>'modified' as modified, withdrawn is not null as withdrawn, record::text as json
           from mirrored_advisories where id in (?)`,
        [ids.slice(i, i + BATCH)],
      )) as { id: string; modified: string; withdrawn: boolean; json: string }[];
      for (const { id, ...stored } of rows) found.set(id, stored);
    }
    return found;
  }

  /** One advisory as held, or null when the mirror has none by that id. */
  async record(id: string): Promise<OsvRecord | null> {
    const [row] = (await this.em
      .fork()
      .getConnection()
      .execute('select record from mirrored_advisories where id = ?', [id])) as { record: OsvRecord }[];
    return row?.record ?? null;
  }

  /** Those of these ids held as withdrawn. */
  async withdrawn(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.em
      .fork()
      .getConnection()
      // An array binding expands to one placeholder per id: `in (?)`, never `any(?)`.
      .execute('select id from mirrored_advisories where id in (?) and withdrawn is not null', [
        [...ids],
      ])) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Whether anything was written since the read that returned `cursor`: one row is enough to say
   * so. Index probes for the cursor's running transactions and one range above its xmax, so the
   * cost follows what was written since the read, not what the table holds.
   */
  async changedSince(cursor: MirrorCursor): Promise<boolean> {
    const [row] = (await this.em
      .getConnection()
      .execute(
        `select exists (select 1 from mirrored_advisories where ${NOT_SEEN}) as changed`,
        notSeenParams(cursor),
      )) as { changed: boolean }[];
    return row!.changed;
  }
}

/**
 * Where a reader of the mirror stands: the snapshot of its last read, as PostgreSQL decides
 * visibility. Every write stamps its row with the writer's (top-level) transaction id; a committed
 * transaction's rows were visible to that snapshot unless its id was at or above the snapshot's
 * xmax (assigned after it) or among the transactions then running. So the rows a reader has not
 * seen are exactly those with `written_xid >= xmax` or `written_xid` in `running`, whatever order
 * imports commit in (an import that began first and commits last is in `running`). Unlike a bound
 * at the snapshot's xmin, which any long transaction anywhere in the cluster holds back, this never
 * re-reads rows already seen.
 */
export interface MirrorCursor {
  readonly xmax: string;
  readonly running: readonly string[];
}

/** A package as the mirror keys it: the ecosystem and the domain's normalised name. */
export interface PackageKey {
  readonly ecosystem: string;
  readonly name: string;
}

export const packageKeyString = (ecosystem: string, normalizedName: string): string =>
  `${ecosystem}\u0000${normalizedName}`;

export interface SizedRecord {
  readonly record: OsvRecord;
  /** As stored: the copy getVulnerability serves, exactly the one matched. */
  readonly json: string;
  /** The length of its JSON as stored. */
  readonly bytes: number;
}

export interface StoredRecord {
  readonly modified: string;
  readonly withdrawn: boolean;
  readonly json: string;
}

export interface MirrorChanges {
  /** More advisories were written than the reader asked to hear of one by one. */
  readonly tooMany: boolean;
  readonly advisoryIds: readonly string[];
  /** The packages those advisories name now (a reader also drops what they named before). */
  readonly packages: readonly PackageKey[];
  readonly cursor: MirrorCursor;
}

type SnapshotRow = { xmax: string; running: string[] };
const SNAPSHOT = `select pg_snapshot_xmax(s)::text as xmax, array(select x::text from pg_snapshot_xip(s) x) as running
                    from pg_current_snapshot() s`;

const NOT_SEEN = 'written_xid >= ?::xid8 or written_xid = any(?::xid8[])';
// The ids as one array literal: a bound JS array would be spread into a list by the query builder.
const notSeenParams = (cursor: MirrorCursor): unknown[] => [cursor.xmax, `{${cursor.running.join(',')}}`];

export interface MirrorState {
  readonly advisories: number;
  readonly lastImportAt: Date | null;
}

/** The `modified` (ms) of those of these ids the mirror holds, and the entry digest each has. */
async function heldModified(
  em: EntityManager,
  ids: readonly string[],
): Promise<Map<string, { modifiedMs: number; digest: string | null }>> {
  const held = new Map<string, { modifiedMs: number; digest: string | null }>();
  const rows = (await em.getConnection().execute(
    `select id, extract(epoch from modified) * 1000 as modified_ms, entry_digest
       from mirrored_advisories where id in (?)`,
    [[...ids]],
  )) as { id: string; modified_ms: string | number; entry_digest: string | null }[];
  for (const row of rows) held.set(row.id, { modifiedMs: Number(row.modified_ms), digest: row.entry_digest });
  return held;
}

/** Digests of this release's reading of entries start so (see ENTRY_READING). */
const CURRENT_READING = `r${ENTRY_READING}:`;
const currentReading = (digest: string | null) => digest !== null && digest.startsWith(CURRENT_READING);

/**
 * Gives records held without a digest of this release's reading (stored before digests were, from
 * a directory, or under an older reading: see ENTRY_READING) the digest
 * of the entry just read, whose record has the same `modified`: the next import of the same zip
 * leaves it unread. What a held digest promises is only what skipping needs: an entry of
 * these bytes was read and found no newer than the copy held, so a full read would write nothing
 * either (a newer copy written later replaces the digest with its own). Only the digest is written,
 * not `imported_at` or `written_xid` (nothing to re-match), outside the import's transaction: it
 * holds of bytes already checked whether or not the import completes.
 */
async function recordDigests(
  em: EntityManager,
  digests: readonly { id: string; digest: string; modifiedMs: number }[],
): Promise<void> {
  // A row another transaction holds (another import's batch; this import's own, whose transaction
  // may be open and waiting on this statement from another connection) is skipped, never waited
  // for: the digest only saves work, and that entry is read again next time.
  await em.getConnection().execute(
    `with free as (
       select id from mirrored_advisories
        where id in (${digests.map(() => '?').join(', ')})
        for update skip locked)
     update mirrored_advisories m set entry_digest = v.digest
       from (values ${digests.map(() => '(?, ?, ?::timestamptz)').join(', ')}) as v(id, digest, modified), free
      where m.id = v.id and free.id = m.id and m.modified = v.modified
        and (m.entry_digest is null or m.entry_digest not like ?)`,
    [
      ...digests.map(({ id }) => id),
      ...digests.flatMap(({ id, digest, modifiedMs }) => [id, digest, new Date(modifiedMs)]),
      `${CURRENT_READING}%`,
    ],
  );
}

type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * One batch of changed records (one copy per id), their package keys replaced; the ids written. An
 * id another import wrote a newer copy of since this one read what was held is not written, and
 * its package keys stay those of the copy kept (the mirror's readers find advisories by them).
 */
async function writeBatch(
  execute: Execute,
  batch: { record: OsvRecord; modifiedMs: number }[],
): Promise<Set<string>> {
  const rows = (await execute(
    `insert into mirrored_advisories (id, modified, withdrawn, record, imported_at, written_xid, entry_digest)
     values ${batch.map(() => '(?, ?, ?, ?::jsonb, now(), pg_current_xact_id(), ?)').join(', ')}
     on conflict (id) do update set modified = excluded.modified, withdrawn = excluded.withdrawn,
       record = excluded.record, imported_at = excluded.imported_at, written_xid = excluded.written_xid,
       entry_digest = excluded.entry_digest
     where mirrored_advisories.modified < excluded.modified
     returning id`,
    batch.flatMap(({ record, modifiedMs }) => [
      record.id,
      new Date(modifiedMs),
      withdrawnAt(record),
      JSON.stringify(record),
      entryDigestOf(record) ?? null,
    ]),
  )) as { id: string }[];
  const kept = new Set(rows.map((row) => row.id));
  const written = batch.filter(({ record }) => kept.has(record.id));
  if (written.length === 0) return kept;
  await execute(
    `delete from mirrored_advisory_packages where advisory_id in (${written.map(() => '?').join(', ')})`,
    written.map(({ record }) => record.id),
  );
  // Withdrawn records keep their package rows: re-matching must find the repos to clear.
  const packages = written.flatMap(({ record }) => packageKeys(record));
  for (let j = 0; j < packages.length; j += BATCH * 2) {
    const slice = packages.slice(j, j + BATCH * 2);
    await execute(
      `insert into mirrored_advisory_packages (ecosystem, name, advisory_id)
       values ${slice.map(() => '(?, ?, ?)').join(', ')} on conflict do nothing`,
      slice.flatMap((p) => [p.ecosystem, p.name, p.advisoryId]),
    );
  }
  return kept;
}

function withdrawnAt(record: OsvRecord): Date | null {
  if (!record.withdrawn) return null;
  const at = Date.parse(record.withdrawn);
  return Number.isNaN(at) ? null : new Date(at);
}

function packageKeys(record: OsvRecord): { ecosystem: string; name: string; advisoryId: string }[] {
  const keys = new Map<string, { ecosystem: string; name: string; advisoryId: string }>();
  for (const affected of record.affected ?? []) {
    const ecosystem = affected.package?.ecosystem;
    const name = affected.package?.name;
    if (!ecosystem || !name || !isEcosystem(ecosystem)) continue;
    const normalized = normalizePackageName(ecosystem, name);
    keys.set(`${ecosystem}\u0000${normalized}`, { ecosystem, name: normalized, advisoryId: record.id });
  }
  return [...keys.values()];
}
