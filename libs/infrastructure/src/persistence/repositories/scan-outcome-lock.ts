import type { Knex } from '@mikro-orm/postgresql';

// Statuses of a scan that has begun writing its findings (or has written them): a scan that started
// before it must not write over them any more.
const PERSISTED_OR_PERSISTING = ['PERSISTING', 'EVALUATING', 'COMPLETED'];

/**
 * Serialises, per repository, the writes that decide which scan's outcome stands: a findings sync
 * and a scan's completion. Held until the transaction ends.
 */
export async function holdScanOutcome(trx: Knex.Transaction, repoId: string): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`repoguard:scan-outcome:${repoId}`]);
}

/**
 * The newest scan of the same repository that started after `scanId` and has reached its persist
 * step, if any. Started, not created: a re-match's row is opened by its first step, a push's by its
 * fetch, so start order is the order the workflow ran them in (a request queued by the API has no
 * start yet and counts only once it runs). Start order is the database's (`start_seq`), never the
 * workers' clocks, which disagree across hosts; only a row started by a worker that predates
 * `start_seq` has none, and is compared by its start time.
 */
export async function newerScanThan(knex: Knex, scanId: string): Promise<string | null> {
  const row = (await knex('scans as newer')
    .join('scans as this', function () {
      this.on('newer.repo_id', '=', 'this.repo_id');
    })
    .where('this.id', scanId)
    .whereNot('newer.id', scanId)
    .whereRaw(
      `(newer.start_seq > this.start_seq
        or ((newer.start_seq is null or this.start_seq is null) and newer.started_at > this.started_at))`,
    )
    .whereIn('newer.status', PERSISTED_OR_PERSISTING)
    .orderByRaw('newer.start_seq desc nulls last, newer.started_at desc')
    .first('newer.id')) as { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * Order of a repository's completed scans, newest first: by the database's start sequence, as
 * `newerScanThan` decides, never by `completed_at` (a worker's clock, which may be skewed between
 * hosts); rows started before the sequence existed come last, by completion.
 */
export const NEWEST_FIRST = (alias: string): string =>
  `${alias}.start_seq desc nulls last, ${alias}.completed_at desc`;
