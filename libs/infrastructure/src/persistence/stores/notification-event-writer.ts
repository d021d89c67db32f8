import type { Knex } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { repoDisplayName, type NewNotificationEvent } from '@repoguard/domain';

/**
 * Writes notification events on the transaction of the change that causes them (never on a
 * connection of its own): they commit with that change or not at all. Every producer of events
 * (the findings sync, a scan's completion or failure, a re-judged status) writes through here.
 */
export async function writeNotificationEvents(
  trx: Knex.Transaction,
  events: readonly NewNotificationEvent[],
): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await trx('notification_events').insert(
      events.slice(i, i + 500).map((event) => ({
        id: randomUUID(),
        org_id: event.org_id,
        repo_id: event.repo_id,
        repo_name: event.repo_name,
        type: event.type,
        severity: event.severity,
        group_key: event.group_key,
        scan_id: event.scan_id,
        payload: JSON.stringify(event.payload),
      })),
    );
  }
}

/** The repository's name as events carry it (the API's full_name), read in the same transaction. */
export async function repoNameIn(trx: Knex, repoId: string): Promise<string | null> {
  const row = (await trx('repositories').where({ id: repoId }).first('owner', 'name')) as
    { owner: string; name: string } | undefined;
  return row ? repoDisplayName(row) : null;
}
