import type { IncludeRefused, ManifestParseResult } from './manifest.types';

export interface ManifestToParse {
  readonly path: string;
  readonly text: string;
}

export interface ParseAllOptions {
  /** As ParseOptions.readInclude; asked from the caller's side, so it may read what it likes. */
  readonly readInclude?: (path: string) => string | undefined | IncludeRefused;
  /**
   * The caller gave up (its step was cancelled or timed out): files not started are never
   * started, running ones are stopped, and parseAll rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

/**
 * Parses manifests with `parseManifest` away from the caller's event loop, each within a deadline
 * and all of one call within an overall budget: a manifest that overruns its deadline is stopped
 * and answered with a PARSE_TIMEOUT error diagnostic naming it and no dependencies, one not parsed
 * when the budget ran out with PARSE_BUDGET_EXCEEDED, one whose parser ran out of memory with
 * PARSER_FAILED, while the others parse on. Diagnostics come capped as by `capDiagnostics`.
 * Concurrent calls share the threads in turn. Results come in the order of `files`.
 */
export interface ManifestParserPool {
  parseAll(files: readonly ManifestToParse[], options?: ParseAllOptions): Promise<ManifestParseResult[]>;
}
