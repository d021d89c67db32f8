/**
 * Version numbers compared as digit strings, so `20210101000000000001` orders exactly: JavaScript
 * numbers lose precision past 2^53 and several ecosystems allow arbitrary-size integers.
 */

/** `007` → `7`, `000` → `0`. Expects ASCII digits only. */
export function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}

/** Sign of a - b for two digit strings without leading zeros. */
export function compareDigitStrings(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sign of a - b for any two strings, by UTF-16 code units (Java `compareTo`, Ruby and Go `<`). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
