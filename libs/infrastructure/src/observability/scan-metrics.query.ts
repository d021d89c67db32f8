import type { EntityManager } from '@mikro-orm/postgresql';

export interface EndedScan {
  readonly trigger: string;
  /** From the scan's start (or, before it started, its queueing) to its end. */
  readonly seconds: number;
}

/**
 * What the worker's scan metrics read from PostgreSQL. Across every org on purpose: these are
 * operator metrics, not tenant data, and carry no ids.
 */
export class ScanMetricsQuery {
  constructor(private readonly em: EntityManager) {}

  async endedScan(scanId: string): Promise<EndedScan | null> {
    const rows: { trigger: string; seconds: string | number }[] = await this.em.getConnection().execute(
      `select trigger,
              extract(epoch from coalesce(completed_at, now()) - coalesce(started_at, created_at)) as seconds
         from scans where id = ?`,
      [scanId],
    );
    const row = rows[0];
    return row ? { trigger: row.trigger, seconds: Math.max(0, Number(row.seconds)) } : null;
  }

  /** Open findings by severity as stored (CRITICAL, HIGH, ...). */
  async openFindingsBySeverity(): Promise<Map<string, number>> {
    const rows: { severity: string; count: string | number }[] = await this.em
      .getConnection()
      .execute(`select severity, count(*) as count from findings where status = 'open' group by severity`);
    return new Map(rows.map((r) => [r.severity, Number(r.count)]));
  }
}
