import type { EntityManager } from '@mikro-orm/postgresql';
import { isEcosystem, normalizePackageName, type OsvRecord } from '@repoguard/domain';

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
    let read = 0;
    for (const record of records) {
      const modifiedMs = Date.parse(record.modified);
      if (Number.isNaN(modifiedMs)) {
        invalid.push(record.id);
        continue;
      }
      read++;
      const current = changed.get(record.id)?.modifiedMs ?? held.get(record.id);
      if (current !== undefined && current >= modifiedMs) continue;
      changed.set(record.id, { record, modifiedMs, isNew: !held.has(record.id) });
    }
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
            `insert into mirrored_advisories (id, modified, withdrawn, record, imported_at)
           values ${batch.map(() => '(?, ?, ?, ?::jsonb, now())').join(', ')}
           on conflict (id) do update set modified = excluded.modified, withdrawn = excluded.withdrawn,
             record = excluded.record, imported_at = excluded.imported_at
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

  /** Changes with every import that writes something; one index lookup, cheap enough for every scan. */
  async revision(): Promise<{ readonly revision: string; readonly lastImportAt: Date | null }> {
    const [row] = (await this.em
      .getConnection()
      .execute('select max(imported_at)::text as last from mirrored_advisories')) as {
      last: string | null;
    }[];
    const last = row?.last ?? null;
    return { revision: last ?? 'never', lastImportAt: last ? new Date(last) : null };
  }

  /** Every record (withdrawn ones too, so a reader can drop them) written at or after `since`. */
  async recordsImportedSince(since: Date | null): Promise<OsvRecord[]> {
    const rows = (await this.em
      .getConnection()
      .execute(
        since
          ? 'select record from mirrored_advisories where imported_at >= ?'
          : 'select record from mirrored_advisories',
        since ? [since] : [],
      )) as { record: OsvRecord }[];
    return rows.map((row) => row.record);
  }
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
