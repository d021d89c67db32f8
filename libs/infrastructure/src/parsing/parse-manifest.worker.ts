// Runs in the parser pool's worker threads (piscina loads this file's default export).
import { threadId, type MessagePort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { parseManifest as domainParseManifest, loadManifestParsers } from '@repoguard/domain';
import { type ParseManifest, type ParseTaskInput, type ParseTaskResult, runParseTask } from './parse-task';

export type { IncludeAnswer, ParseTaskResult } from './parse-task';

export interface ParseTask extends ParseTaskInput {
  /** Told this thread's id when the parse begins, so the deadline counts parsing, not queueing. */
  readonly started: MessagePort;
}

export interface ParserWorkerData {
  /** Tests only: a module whose `parseManifest` replaces the domain's (one that never returns, say). */
  readonly parserModule?: string;
}

const parserModule = (workerData as ParserWorkerData | undefined)?.parserModule;
const parse: ParseManifest = parserModule
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time, set by the pool's owner
    (require(parserModule) as { parseManifest: ParseManifest }).parseManifest
  : domainParseManifest;
// The domain loads a parser on its first parse; here that would count toward the first deadline.
if (!parserModule) loadManifestParsers();

export default function parseManifestTask(task: ParseTask): ParseTaskResult {
  task.started.postMessage(threadId);
  // Capped here, before the result is copied to the caller's thread.
  return runParseTask(parse, task);
}
