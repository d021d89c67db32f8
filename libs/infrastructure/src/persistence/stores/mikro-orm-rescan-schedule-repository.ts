import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { RecurringSchedule, RescanSchedule, RescanScheduleRepository } from '@repoguard/domain';

const TABLE = 'rescan_schedules';

interface Row {
  readonly org_id: string;
  readonly frequency: 'daily' | 'weekly';
  readonly hour: number;
  readonly weekday: number | null;
  readonly timezone: string;
  readonly updated_by: string | null;
  readonly updated_at: Date | string;
}

const COLUMNS = ['org_id', 'frequency', 'hour', 'weekday', 'timezone', 'updated_by', 'updated_at'];

function fromRow(row: Row): RescanSchedule {
  return {
    org_id: row.org_id,
    schedule: {
      frequency: row.frequency,
      hour: Number(row.hour),
      timezone: row.timezone,
      ...(row.weekday !== null ? { weekday: Number(row.weekday) } : {}),
    },
    updated_by: row.updated_by,
    updated_at: new Date(row.updated_at),
  };
}

/** `rescan_schedules`, in the unit of work's transaction; every query names its org. */
export class MikroOrmRescanScheduleRepository implements RescanScheduleRepository {
  constructor(private readonly em: EntityManager) {}

  private db(): Knex {
    return this.em.getTransactionContext<Knex.Transaction>() ?? this.em.getKnex();
  }

  async get(orgId: string): Promise<RescanSchedule | null> {
    const row = (await this.db()(TABLE).where({ org_id: orgId }).first(COLUMNS)) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async put(orgId: string, schedule: RecurringSchedule, updatedBy: string): Promise<RescanSchedule> {
    const db = this.db();
    const values = {
      org_id: orgId,
      frequency: schedule.frequency,
      hour: schedule.hour,
      weekday: schedule.frequency === 'weekly' ? (schedule.weekday ?? null) : null,
      timezone: schedule.timezone,
      updated_by: updatedBy,
      updated_at: db.fn.now(),
    };
    const [row] = (await db(TABLE)
      .insert(values)
      .onConflict('org_id')
      .merge(['frequency', 'hour', 'weekday', 'timezone', 'updated_by', 'updated_at'])
      .returning(COLUMNS)) as Row[];
    return fromRow(row!);
  }

  async remove(orgId: string): Promise<boolean> {
    return (await this.db()(TABLE).where({ org_id: orgId }).delete()) > 0;
  }

  /** Schedules of orgs not deleted: a deleted org's row (if one stayed) never keeps its Schedule. */
  async page(afterOrgId: string | null, limit: number): Promise<RescanSchedule[]> {
    const query = this.db()(`${TABLE} as s`)
      .join('organizations as o', 'o.id', 's.org_id')
      .whereNull('o.deleted_at')
      .select(COLUMNS.map((column) => `s.${column}`))
      .orderBy('s.org_id')
      .limit(limit);
    if (afterOrgId !== null) query.where('s.org_id', '>', afterOrgId);
    return ((await query) as Row[]).map(fromRow);
  }
}
