import { randomUUID } from 'node:crypto';

/**
 * A database URL of its own, on the test server, for tests whose counts span a whole table (the
 * advisory mirror, stored secrets) or that prove the migrations from nothing. Create it with
 * `prepareDatabase` and drop it with `dropDatabase`.
 */
export function freshDatabaseUrl(prefix: string): string {
  const base = new URL(process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/repoguard_test');
  base.pathname = `/repoguard_${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return base.toString();
}
