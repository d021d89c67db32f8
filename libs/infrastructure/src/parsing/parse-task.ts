import {
  capDiagnostics,
  type IncludeRefused,
  type ManifestParseResult,
  type ParseOptions,
} from '@repoguard/domain';

/** An include's answer as the caller gave it; null: not found. */
export type IncludeAnswer = string | IncludeRefused | null;

export type ParseManifest = (path: string, text: string, options?: ParseOptions) => ManifestParseResult;

export interface ParseTaskInput {
  readonly path: string;
  readonly text: string;
  /** The includes the caller has answered so far (the whole text map never crosses threads). */
  readonly includes: ReadonlyMap<string, IncludeAnswer>;
}

export interface ParseTaskResult {
  readonly result: ManifestParseResult;
  /** Includes the parser asked for that `includes` did not answer: the caller reads them, then asks again. */
  readonly missingIncludes: readonly string[];
}

// Each round answers every include the previous one asked for; real include chains are a few deep.
export const MAX_INCLUDE_ROUNDS = 16;

/**
 * One round of a manifest's parse, the same on a parser thread and on the caller's: includes not
 * answered yet read as missing and are listed, and diagnostics come capped.
 */
export function runParseTask(parse: ParseManifest, task: ParseTaskInput): ParseTaskResult {
  const missing = new Set<string>();
  const result = parse(task.path, task.text, {
    readInclude: (path) => {
      const answer = task.includes.get(path);
      if (answer === undefined) {
        missing.add(path);
        return undefined;
      }
      return answer ?? undefined;
    },
  });
  return { result: capDiagnostics(result), missingIncludes: [...missing] };
}
