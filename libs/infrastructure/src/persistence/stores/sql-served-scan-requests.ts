import type { EntityManager } from '@mikro-orm/postgresql';
import { FINAL_SCAN_STATUSES, type ServedScanRequests } from '@repoguard/domain';

/**
 * The request's outbox row against its repository's scans, both stamped by the database's clock.
 * A scan counts from when it began (`started_at`; its row may have been queued earlier, by the API
 * for an API scan the request then joined), so the push that ended just before the request does not
 * serve it. The lower bound on `created_at` keeps the look-up to `scans_repo_id_created_at_index`'s
 * recent rows of the repository.
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
              and s.created_at >= o.created_at - interval '1 day'
              and coalesce(s.started_at, s.created_at) >= o.created_at
              and s.status in (${FINAL_SCAN_STATUSES.map(() => '?').join(', ')}))`,
        [`{${requestIds.join(',')}}`, ...FINAL_SCAN_STATUSES],
      )) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }
}
