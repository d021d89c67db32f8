import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';

/** What `pg`'s client takes and gives, as far as a named statement needs. */
interface PgClient {
  query<T>(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * Runs a hot read as a named prepared statement on a pooled connection: PostgreSQL plans it once
 * per connection (then keeps a generic plan when that is no worse) instead of on every request, and
 * the values travel as parameters rather than inlined into the text. The name is the text's hash,
 * so one connection never sees two texts under one name. Inside a transaction it runs as any other
 * statement of that transaction.
 */
export async function preparedRows<T>(em: EntityManager, query: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  const connection = em.getConnection();
  if (em.getTransactionContext()) return connection.execute<T[]>(query);
  const { sql, bindings } = query.toSQL().toNative();
  const name = `rg_${createHash('sha1').update(sql).digest('base64url')}`;
  const knex = connection.getKnex();
  await connection.ensureConnection();
  // knex's client hands out the pool's `pg` clients; typed loosely by knex.
  const client = (await knex.client.acquireConnection()) as PgClient;
  try {
    return (await client.query<T>({ name, text: sql, values: bindings })).rows;
  } finally {
    await knex.client.releaseConnection(client);
  }
}
