// Runs in the parser pool's worker threads (piscina loads this file's default export).
import { threadId, type MessagePort } from 'node:worker_threads';
import { workerData } from 'piscina';
import {
  capDiagnostics,
  parseManifest as domainParseManifest,
  type IncludeRefused,
  type ManifestParseResult,
  type ParseOptions,
} from '@repoguard/domain';

/** An include's answer as the caller gave it; null: not found. */
export type IncludeAnswer = string | IncludeRefused | null;

export interface ParseTask {
  readonly path: string;
  readonly text: string;
  /** The includes the caller has answered so far (the whole text map never crosses threads). */
  readonly includes: ReadonlyMap<string, IncludeAnswer>;
  /** Told this thread's id when the parse begins, so the deadline counts parsing, not queueing. */
  readonly started: MessagePort;
}

export interface ParseTaskResult {
  readonly result: ManifestParseResult;
  /** Includes the parser asked for that `includes` did not answer: the caller reads them, then asks again. */
  readonly missingIncludes: readonly string[];
}

export interface ParserWorkerData {
  /** Tests only: a module whose `parseManifest` replaces the domain's (one that never returns, say). */
  readonly parserModule?: string;
}

type ParseManifest = (path: string, text: string, options?: ParseOptions) => ManifestParseResult;

const parserModule = (workerData as ParserWorkerData | undefined)?.parserModule;
const parse: ParseManifest = parserModule
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time, set by the pool's owner
    (require(parserModule) as { parseManifest: ParseManifest }).parseManifest
  : domainParseManifest;

export default function parseManifestTask(task: ParseTask): ParseTaskResult {
  task.started.postMessage(threadId);
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
  // Capped here, before the result is copied to the caller's thread.
  return { result: capDiagnostics(result), missingIncludes: [...missing] };
}
