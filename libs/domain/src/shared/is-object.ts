/** A plain object (not null, not an array): what parsed JSON, YAML, TOML or an API body is checked against. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
