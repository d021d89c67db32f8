import type { IncludeRefused, ManifestParseResult } from './manifest.types';

export interface ManifestToParse {
  readonly path: string;
  readonly text: string;
}

export interface ParseAllOptions {
  /** As ParseOptions.readInclude; asked from the caller's side, so it may read what it likes. */
  readonly readInclude?: (path: string) => string | undefined | IncludeRefused;
}

/**
 * Parses manifests with `parseManifest` away from the caller's event loop, each within a deadline:
 * a manifest that overruns it is stopped and answered with a PARSE_TIMEOUT error diagnostic naming
 * it and no dependencies, while the others parse on. Results come in the order of `files`.
 */
export interface ManifestParserPool {
  parseAll(files: readonly ManifestToParse[], options?: ParseAllOptions): Promise<ManifestParseResult[]>;
}
