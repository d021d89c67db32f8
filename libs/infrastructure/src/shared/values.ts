/** An adapter option that must be a positive whole number; absent means the default. */
export function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${field} must be a positive integer`);
  return value;
}
