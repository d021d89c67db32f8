import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { repoDisconnected } from '@repoguard/domain';

/**
 * Runs `write` in a transaction (the entity manager's own when it has one) that first holds the
 * repository's row FOR KEY SHARE, or refuses with REPO_DISCONNECTED when the row is gone. A
 * disconnect or purge locks that row FOR UPDATE before it deletes anything, so a scan step either
 * commits before the purge looks (and the purge deletes what it wrote), or waits for it and finds
 * the repository gone: nothing is written back after a purge, however the two interleave.
 */
export async function writeForConnectedRepo<T>(
  em: EntityManager,
  repoId: string,
  write: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const held = async (trx: Knex.Transaction): Promise<T> => {
    const row: unknown = await trx('repositories').where({ id: repoId }).forKeyShare().first('id');
    if (!row) throw repoDisconnected(repoId);
    return write(trx);
  };
  const outer = em.getTransactionContext<Knex.Transaction>();
  return outer ? held(outer) : em.getKnex().transaction(held);
}
