/**
 * How one ecosystem orders its versions. OSV `ECOSYSTEM` ranges are evaluated with the
 * ecosystem's own scheme; `SEMVER` ranges always with Semantic Versioning.
 */
export interface VersionScheme {
  /** True when `version` is a version this ecosystem can order. */
  isValid(version: string): boolean;
  /**
   * Negative when a < b, zero when equal, positive when a > b (Array.prototype.sort contract).
   * Both must be valid; an invalid one throws an Error naming it.
   */
  compare(a: string, b: string): number;
  /** Canonical spelling for equality and display (PEP 440 `1.0.0.0` → `1.0.0.0`, Go adds `v`). */
  normalize(version: string): string;
}
