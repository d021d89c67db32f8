/**
 * Orders strings by their UTF-16 code units, as `Array.prototype.sort` does by default: the same
 * order on every machine. `localeCompare` answers by the process's locale (LANG), so a report's
 * order could differ between a laptop and CI, and its first call loads ICU's collation data, which
 * costs a short-lived `repoguard check` more than the rest of its sorting.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
