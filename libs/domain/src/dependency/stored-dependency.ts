import type { ParsedDependency } from '../manifest/manifest.types';

/** A dependency as a snapshot stored it. */
export interface StoredDependency extends ParsedDependency {
  readonly id: string;
  readonly purl: string;
}
