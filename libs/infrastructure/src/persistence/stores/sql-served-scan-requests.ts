import type { EntityManager } from '@mikro-orm/postgresql';
import { FINAL_SCAN_STATUSES, type ServedScanRequests } from '@repoguard/domain';

/**
 * The request's outbox row against its repository's scans (by `scans_repo_id_created_at_index`).
 * The two times come from different clocks (the database's for the request, a worker's for the
 * scan). No slack is given: a scan that ended just before the request (the push before it) must not
 * count. Clocks apart only make the pacing err: a worker behind the database leaves a request open
 * until the pacer gives up on it, one ahead lets a scan begun just before the request count.
 */
export class SqlServedScanRequests implements ServedScanRequests {
  constructor(private readonly em: EntityManager) {}

  async served(requestIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (requestIds.length === 0) return new Set();
    const rows = (await this.em
      .fork()
      .getConnection()
      .execute(
        `select o.id from scan_request_outbox o
        where o.id = any(?::uuid[])
          and exists (select 1 from scans s
            where s.repo_id = o.repo_id
              and s.created_at >= o.created_at
              and s.status in (${FINAL_SCAN_STATUSES.map(() => '?').join(', ')}))`,
        [`{${requestIds.join(',')}}`, ...FINAL_SCAN_STATUSES],
      )) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }
}
