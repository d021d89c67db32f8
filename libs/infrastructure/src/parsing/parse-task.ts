import {
  capDiagnostics,
  type IncludeRefused,
  type ManifestParseResult,
  type ParseAllOptions,
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

/**
 * A thread's heap when the owner sets none. Measured on 10 MB files (SCAN_MAX_MANIFEST_BYTES):
 * package-lock.json, poetry.lock and requirements.txt parse within 256 MB, a pnpm-lock.yaml of
 * 58,000 packages needs 400-450 MB (the YAML document model).
 */
export const DEFAULT_PARSER_MEMORY_MB = 512;

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

export function parseOverBudget(filePath: string, budgetMs: number | undefined): ManifestParseResult {
  return {
    dependencies: [],
    diagnostics: [
      {
        severity: 'error',
        code: 'PARSE_BUDGET_EXCEEDED',
        message: `${filePath} was not parsed: parsing this commit's manifests took longer than ${budgetMs} ms in all (PARSE_BUDGET_MS); none of its dependencies are listed`,
      },
    ],
  };
}

export function parseTimedOut(filePath: string, deadlineMs: number): ManifestParseResult {
  return {
    dependencies: [],
    diagnostics: [
      {
        severity: 'error',
        code: 'PARSE_TIMEOUT',
        message: `${filePath} took longer than ${deadlineMs} ms to parse (PARSE_DEADLINE_MS) and was stopped; none of its dependencies are listed`,
      },
    ],
  };
}

export function readOrNull(
  readInclude: NonNullable<ParseAllOptions['readInclude']>,
  includePath: string,
): IncludeAnswer {
  try {
    return readInclude(includePath) ?? null;
  } catch {
    // As the parser treats a reader that throws: not found.
    return null;
  }
}
