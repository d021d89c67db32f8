import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from 'knex';
import { scopedOrgIds } from '../tenant-scope';

/** What `pg`'s client takes and gives, as far as a named statement needs. */
interface PgClient {
  query<T>(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * Runs a hot read as a named prepared statement on a pooled connection: PostgreSQL plans it once
 * per connection (then keeps a generic plan when that is no worse) instead of on every request, and
 * the values travel as parameters rather than inlined into the text. Inside a transaction it runs
 * as any other statement of that transaction.
 */
export async function preparedRows<T>(em: EntityManager, query: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  if (em.getTransactionContext()) return em.getConnection().execute<T[]>(query);
  const { sql, bindings } = query.toSQL().toNative();
  return runPrepared<T>(em, statementName(sql), sql, bindings);
}

/** The name is the text's hash, so one connection never sees two texts under one name. */
const statementName = (sql: string): string => `rg_${createHash('sha1').update(sql).digest('base64url')}`;

async function runPrepared<T>(
  em: EntityManager,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<T[]> {
  const connection = em.getConnection();
  const knex = connection.getKnex();
  await connection.ensureConnection();
  // knex's client hands out the pool's `pg` clients; typed loosely by knex.
  const client = (await knex.client.acquireConnection()) as PgClient;
  try {
    return (await client.query<T>({ name, text, values })).rows;
  } finally {
    await knex.client.releaseConnection(client);
  }
}

/** A value a template binds: arrays are given element by element, their lengths in the shape. */
export type TemplateValue = string | number | Date;

/** Where each parameter of a built statement comes from: a value's index, or a constant of the shape. */
type Slot = { readonly index: number } | { readonly constant: unknown };

interface Template {
  readonly name: string;
  readonly text: string;
  readonly slots: readonly Slot[];
}

// Markers stand in for the values while a template is built. A string with a NUL in it can never be
// a real value (PostgreSQL refuses NUL in text); the numbers and the date are far from any real one.
const MARKER_TEXT = 'rg-template-value-';
const MARKER_NUMBER = 1_900_000_000;
const MARKER_TIME = Date.UTC(1111, 0, 1);
const MARKER_LIMIT = 1_000;
const markerOf = (value: TemplateValue, index: number): TemplateValue =>
  typeof value === 'string'
    ? `\0${MARKER_TEXT}${index}\0`
    : typeof value === 'number'
      ? MARKER_NUMBER + index
      : new Date(MARKER_TIME + index);

function indexOfMarker(binding: unknown): number | undefined {
  if (typeof binding === 'string') {
    const prefix = `\0${MARKER_TEXT}`;
    if (!binding.startsWith(prefix) || !binding.endsWith('\0')) return undefined;
    const index = Number(binding.slice(prefix.length, -1));
    return Number.isInteger(index) ? index : undefined;
  }
  if (typeof binding === 'number' && binding >= MARKER_NUMBER && binding < MARKER_NUMBER + MARKER_LIMIT) {
    return binding - MARKER_NUMBER;
  }
  if (binding instanceof Date) {
    const index = binding.getTime() - MARKER_TIME;
    if (index >= 0 && index < MARKER_LIMIT) return index;
  }
  return undefined;
}

/** A marker changed on its way in (a value derived from one, or written into the text): unusable. */
function looksMarked(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes(MARKER_TEXT) || value.includes(String(MARKER_NUMBER).slice(0, 7));
  }
  if (typeof value === 'number') {
    return value >= MARKER_NUMBER - MARKER_LIMIT && value < MARKER_NUMBER + 2 * MARKER_LIMIT;
  }
  return value instanceof Date && Math.abs(value.getTime() - MARKER_TIME) < 86_400_000;
}

/**
 * Hot reads whose statement text depends only on a shape (which filters are given, how many values
 * each has, the order): built by the query builder once per shape and tenant scope, with markers in
 * place of the values, then run as a named prepared statement with each request's values in the
 * markers' places. Building a page's statement cost more API time per request than reading its
 * rows. Only on a tenant-scoped manager: the tenant filter's org ids are constants of the text, so
 * a template is never shared between scopes; on any other manager every call builds its statement.
 */
export class StatementTemplates {
  private readonly templates = new Map<string, Template | null>();

  constructor(private readonly maxEntries = 1_000) {}

  /**
   * The rows of the query `build(values)` gives. `shape` must name everything the text depends on
   * beyond `values` (a value only ever travels as a parameter); a build that turns a value into
   * something else (a sum, a JSON text) is found out and never reused. The query comes in an
   * object: a knex builder is a thenable, which resolving a promise with would run.
   */
  async rows<T>(
    em: EntityManager,
    shape: string,
    values: readonly TemplateValue[],
    build: (values: readonly TemplateValue[]) => Promise<{ readonly query: Knex.QueryBuilder | Knex.Raw }>,
  ): Promise<T[]> {
    const orgIds = scopedOrgIds(em);
    if (!orgIds || em.getTransactionContext() || values.length > MARKER_LIMIT) {
      return preparedRows<T>(em, (await build(values)).query);
    }
    const key = JSON.stringify([orgIds, shape]);
    let template = this.templates.get(key);
    if (template === undefined) {
      template = templateOf((await build(values.map(markerOf))).query);
      if (this.templates.size >= this.maxEntries) {
        // A Map iterates in insertion order: the first key is the oldest.
        const oldest = this.templates.keys().next();
        if (!oldest.done) this.templates.delete(oldest.value);
      }
      this.templates.set(key, template);
    }
    if (template === null) return preparedRows<T>(em, (await build(values)).query);
    const { name, text, slots } = template;
    return runPrepared<T>(
      em,
      name,
      text,
      slots.map((slot) => ('index' in slot ? values[slot.index] : slot.constant)),
    );
  }
}

/** The template of a statement built on markers; null when a marker did not travel as a parameter. */
function templateOf(query: Knex.QueryBuilder | Knex.Raw): Template | null {
  const { sql, bindings } = query.toSQL().toNative();
  if (looksMarked(sql)) return null;
  const slots: Slot[] = [];
  for (const binding of bindings) {
    const index = indexOfMarker(binding);
    if (index !== undefined) slots.push({ index });
    else if (looksMarked(binding)) return null;
    else slots.push({ constant: binding });
  }
  return { name: statementName(sql), text: sql, slots };
}
