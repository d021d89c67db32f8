import { IsolationLevel, type EntityManager } from '@mikro-orm/postgresql';
import {
  isEcosystem,
  normalizePackageName,
  summarizeAdvisoryDiagnostics,
  type AdvisoryDiagnosticsSummary,
  type OsvRecord,
} from '@repoguard/domain';

export interface MirrorImportCounts {
  /** Records offered, after dropping those whose `modified` is not a date. */
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  /** Already held with the same or a newer `modified`: not written at all. */
  readonly unchanged: number;
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

  async import(records: Iterable<OsvRecord>): Promise<MirrorImportCounts> {
    const connection = this.em.getConnection();
    const held = new Map<string, number>();
    const rows = (await connection.execute(
      'select id, extract(epoch from modified) * 1000 as modified_ms from mirrored_advisories',
    )) as { id: string; modified_ms: string | number }[];
    for (const row of rows) held.set(row.id, Number(row.modified_ms));

    // The newest copy of each id wins, also between duplicates inside one export.
    const changed = new Map<string, { record: OsvRecord; modifiedMs: number; isNew: boolean }>();
    const invalid: string[] = [];
    const valid: OsvRecord[] = [];
    for (const record of records) {
      const modifiedMs = Date.parse(record.modified);
      if (Number.isNaN(modifiedMs)) {
        invalid.push(record.id);
        continue;
      }
      valid.push(record);
      const current = changed.get(record.id)?.modifiedMs ?? held.get(record.id);
      if (current !== undefined && current >= modifiedMs) continue;
      changed.set(record.id, { record, modifiedMs, isNew: !held.has(record.id) });
    }
    const read = valid.length;
    // Duplicates inside one export count once, as the copy that was kept.
    const unchanged = read - changed.size;

    const entries = [...changed.values()];
    let writtenAt: string | null = null;
    if (entries.length > 0)
      await this.em.transactional(async (em) => {
        // Raw statements join the transaction only when handed its context.
        const trx = em.getTransactionContext();
        const tx = {
          execute: (sql: string, params: unknown[]) => em.getConnection().execute(sql, params, 'all', trx),
        };
        const [stamp] = (await tx.execute('select now()::text as now', [])) as { now: string }[];
        writtenAt = stamp!.now;
        for (let i = 0; i < entries.length; i += BATCH) {
          const batch = entries.slice(i, i + BATCH);
          await tx.execute(
            `insert into mirrored_advisories (id, modified, withdrawn, record, imported_at, written_xid)
           values ${batch.map(() => '(?, ?, ?, ?::jsonb, now(), pg_current_xact_id())').join(', ')}
           on conflict (id) do update set modified = excluded.modified, withdrawn = excluded.withdrawn,
             record = excluded.record, imported_at = excluded.imported_at, written_xid = excluded.written_xid
           where mirrored_advisories.modified < excluded.modified`,
            batch.flatMap(({ record, modifiedMs }) => [
              record.id,
              new Date(modifiedMs),
              withdrawnAt(record),
              JSON.stringify(record),
            ]),
          );
          await tx.execute(
            `delete from mirrored_advisory_packages where advisory_id in (${batch.map(() => '?').join(', ')})`,
            batch.map(({ record }) => record.id),
          );
          // Withdrawn records keep their package rows: re-matching must find the repos to clear.
          const packages = batch.flatMap(({ record }) => packageKeys(record));
          for (let j = 0; j < packages.length; j += BATCH * 2) {
            const slice = packages.slice(j, j + BATCH * 2);
            await tx.execute(
              `insert into mirrored_advisory_packages (ecosystem, name, advisory_id)
             values ${slice.map(() => '(?, ?, ?)').join(', ')} on conflict do nothing`,
              slice.flatMap((p) => [p.ecosystem, p.name, p.advisoryId]),
            );
          }
        }
      });
    return {
      read,
      inserted: entries.filter((e) => e.isNew).length,
      updated: entries.filter((e) => !e.isNew).length,
      unchanged,
      withdrawn: entries.filter((e) => withdrawnAt(e.record) !== null).length,
      invalid,
      writtenAt,
      // Of every record read, written or not: importing an export again reports the same.
      diagnostics: summarizeAdvisoryDiagnostics(valid),
    };
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

  /**
   * Every record (withdrawn ones too, so a reader can drop them) that may have become visible since
   * `cursor` (null: all), and the cursor to ask with next time. Read in one snapshot: the cursor is
   * the oldest transaction still running then, so a row that snapshot could not see was written by
   * a transaction at or above it, whatever order imports commit in. Rows of transactions that had
   * committed may be read again; readers keep the newer copy.
   */
  async changesSince(cursor: MirrorCursor | null): Promise<{ records: OsvRecord[]; cursor: MirrorCursor }> {
    return this.em.fork().transactional(
      async (em) => {
        const trx = em.getTransactionContext();
        const run = <T>(sql: string, params: unknown[] = []) =>
          em.getConnection().execute(sql, params, 'all', trx) as Promise<T[]>;
        const [snapshot] = await run<{ xmin: string }>(
          'select pg_snapshot_xmin(pg_current_snapshot())::text as xmin',
        );
        const rows = await run<{ record: OsvRecord }>(
          cursor
            ? 'select record from mirrored_advisories where written_xid >= ?::xid8'
            : 'select record from mirrored_advisories',
          cursor ? [cursor.xmin] : [],
        );
        const next = snapshot!.xmin;
        return {
          records: rows.map((row) => row.record),
          cursor: { xmin: next, digest: await digest(run, next) },
        };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /**
   * Whether `changesSince(cursor)` would bring anything new: the rows at or above the cursor's
   * transaction, by id and writer, differ from those seen. One index range scan over the few
   * transactions since the last read, cheap enough for every scan.
   */
  async changedSince(cursor: MirrorCursor): Promise<boolean> {
    const run = <T>(sql: string, params: unknown[] = []) =>
      this.em.getConnection().execute(sql, params) as Promise<T[]>;
    return (await digest(run, cursor.xmin)) !== cursor.digest;
  }
}

/** Where a reader of the mirror stands: the oldest transaction running at its last read, and what it saw from there on. */
export interface MirrorCursor {
  readonly xmin: string;
  readonly digest: string;
}

async function digest(
  run: <T>(sql: string, params?: unknown[]) => Promise<T[]>,
  xmin: string,
): Promise<string> {
  const [row] = await run<{ digest: string }>(
    `select md5(coalesce(string_agg(id || ':' || written_xid::text, ',' order by id), '')) as digest
       from mirrored_advisories where written_xid >= ?::xid8`,
    [xmin],
  );
  return row!.digest;
}

export interface MirrorState {
  readonly advisories: number;
  readonly lastImportAt: Date | null;
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
