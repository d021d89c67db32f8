import type { Knex } from '@mikro-orm/postgresql';

// Statuses of a scan that has begun writing its findings (or has written them): a scan that started
// before it must not write over them any more.
const PERSISTED_OR_PERSISTING = ['PERSISTING', 'EVALUATING', 'COMPLETED'];
const CLOSED_WITHOUT_VERDICT = ['SUPERSEDED', 'FAILED'];

/**
 * Serialises, per repository, the writes that decide which scan's outcome stands: a findings sync
 * and a scan's completion. Held until the transaction ends.
 */
export async function holdScanOutcome(trx: Knex.Transaction, repoId: string): Promise<void> {
  await trx.raw(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`repoguard:scan-outcome:${repoId}`]);
}

/**
 * The newest scan of the same repository that started after `scanId` and has reached its persist
 * step, if any; `scanId` itself once its row was closed SUPERSEDED or FAILED. Started, not created:
 * a re-match's row is opened by its first step, a push's by its fetch, so start order is the order
 * the workflow ran them in (a request queued by the API has no start yet and counts only once it
 * runs). Start order is the database's (`start_seq`), never the
 * workers' clocks, which disagree across hosts; only a row started by a worker that predates
 * `start_seq` has none, and is compared by its start time.
 */
export async function newerScanThan(knex: Knex, scanId: string): Promise<string | null> {
  const self = (await knex('scans')
    .where({ id: scanId })
    .first('repo_id', 'start_seq', 'started_at', 'status')) as
    { repo_id: string; start_seq: string | null; started_at: Date | null; status: string } | undefined;
  if (!self) return null;
  // Closed without a verdict (its workflow let it go for a push, or gave up on it): an attempt still
  // running learns of that only at its next heartbeat, and must write nothing meanwhile.
  if (CLOSED_WITHOUT_VERDICT.includes(self.status)) return scanId;
  const later = () =>
    knex('scans')
      .where('repo_id', self.repo_id)
      .whereNot('id', scanId)
      .whereIn('status', PERSISTED_OR_PERSISTING);
  // Separate queries, each an index range: an OR across the two orders would read every scan of
  // the repository, under the repository's lock, at every persist and completion.
  if (self.start_seq !== null) {
    const bySeq = (await later()
      .where('start_seq', '>', self.start_seq)
      .orderBy('start_seq', 'desc')
      .first('id')) as { id: string } | undefined;
    if (bySeq) return bySeq.id;
  }
  if (self.started_at === null) return null;
  const byTime = (await later()
    .where('started_at', '>', self.started_at)
    .modify((query) => {
      if (self.start_seq !== null) query.whereNull('start_seq');
    })
    .orderByRaw('start_seq desc nulls last, started_at desc')
    .first('id')) as { id: string } | undefined;
  return byTime?.id ?? null;
}

/**
 * Order of a repository's completed scans, newest first: by the database's start sequence, as
 * `newerScanThan` decides, never by `completed_at` (a worker's clock, which may be skewed between
 * hosts); rows started before the sequence existed come last, by completion.
 */
export const NEWEST_FIRST = (alias: string): string =>
  `${alias}.start_seq desc nulls last, ${alias}.completed_at desc`;
