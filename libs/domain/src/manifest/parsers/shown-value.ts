/**
 * A manifest field's value as a message shows it: a string as it is, anything else as JSON. String()
 * would throw on a mapping with its own `toString` key, and a parser must report, not throw.
 */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
