/**
 * The statements that (re)build an index without blocking the table's readers and writers: built
 * CONCURRENTLY beside the old one under `next`, the old one then dropped the same way, `next` renamed
 * into its place. A plain CREATE INDEX blocks writes for the whole build, and a plain DROP INDEX
 * waits for every open reader while everyone queued behind it waits too.
 *
 * Every step may run again after an interruption at any point: a cancelled build leaves an invalid
 * `next`, which the first statement drops. The migration running them must not be transactional
 * (CONCURRENTLY refuses a transaction block).
 */
export function rebuildIndexConcurrently(
  table: string,
  index: string,
  columns: readonly string[],
  next = `${index}_next`,
): string[] {
  return [
    `drop index concurrently if exists "${next}";`,
    `create index concurrently "${next}" on "${table}" (${columns.map((c) => `"${c}"`).join(', ')});`,
    `drop index concurrently if exists "${index}";`,
    `alter index "${next}" rename to "${index}";`,
  ];
}
