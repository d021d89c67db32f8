import * as vm from 'node:vm';
import {
  parseManifest as domainParseManifest,
  type ManifestParseResult,
  type ManifestParserPool,
  type ManifestToParse,
  type ParseAllOptions,
} from '@repoguard/domain';
import {
  type IncludeAnswer,
  MAX_INCLUDE_ROUNDS,
  parseOverBudget,
  type ParseManifest,
  parseTimedOut,
  readOrNull,
  runParseTask,
} from './parse-task';
import type {
  PiscinaManifestParserPool,
  PiscinaManifestParserPoolOptions,
} from './piscina-manifest-parser-pool';

export interface InlineFirstManifestParserPoolOptions extends PiscinaManifestParserPoolOptions {
  /** A call whose manifests hold at most this many characters in all parses on the calling thread. */
  readonly inlineMaxChars: number;
}

/**
 * 1 Mi characters: a 5,000-package package-lock.json is about 300 K. A 10 MB manifest needs about
 * 450 MB of heap to parse (see DEFAULT_PARSER_MEMORY_MB), so one this size stays far below it.
 */
export const DEFAULT_INLINE_PARSE_MAX_CHARS = 1 << 20;

/**
 * The thread pool, loaded when first needed: piscina and worker_threads are most of what a small
 * check would otherwise load at start for nothing.
 */
function startParserThreads(options: PiscinaManifestParserPoolOptions): PiscinaManifestParserPool {
  type Module = typeof import('./piscina-manifest-parser-pool');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  const { PiscinaManifestParserPool: Pool } = require('./piscina-manifest-parser-pool') as Module;
  return new Pool(options);
}

/**
 * Milliseconds on a monotonic clock. Not performance.now(): in Node 20 the first use of it, the
 * global included, loads perf_hooks (about 1 ms of a small check's start).
 */
function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The parse runs inside this script, so the deadline of vm's timeout applies to the whole call. It
 * finds the parse on the global object of the context it runs in (this one, under a symbol only
 * this module sets), not in a context of its own: making a context took half a millisecond of
 * every small check. That global is asked of a script run here, as code loaded into a sandbox
 * (Jest's) has a global object of its own.
 */
const PARSE_KEY = 'repoguard.inline-parse';
const PARSE = Symbol.for(PARSE_KEY);
const RUN = new vm.Script(`globalThis[Symbol.for(${JSON.stringify(PARSE_KEY)})]()`);
const HOST = new vm.Script('globalThis').runInThisContext() as { [PARSE]?: () => unknown };

/**
 * For `repoguard check`: small inputs parse on the calling thread, so a check of a few manifests
 * does not wait for a thread to start and load the parsers (most of its time on a small file).
 * The deadline still holds there: each parse runs under vm's timeout, which interrupts the
 * isolate (a regex stuck backtracking included) and is answered with PARSE_TIMEOUT. A parse
 * stopped half-way may leave a parser's module state behind it, so from then on every file goes
 * to parser threads, as do inputs over `inlineMaxChars`. What the calling thread does not have is
 * the threads' heap cap (PARSE_MEMORY_MB): inputs that small cannot come near it, and a parse that
 * exhausted the process's heap would end the check with an error, never with a pass.
 */
export class InlineFirstManifestParserPool implements ManifestParserPool {
  private threads: PiscinaManifestParserPool | undefined;
  private inlineSpoilt = false;
  private closed = false;
  private readonly parse: ParseManifest;

  constructor(
    private readonly options: InlineFirstManifestParserPoolOptions,
    private readonly startThreads: (
      options: PiscinaManifestParserPoolOptions,
    ) => PiscinaManifestParserPool = startParserThreads,
  ) {
    this.parse = options.parserModule
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- tests only: a path known at run time
        (require(options.parserModule) as { parseManifest: ParseManifest }).parseManifest
      : domainParseManifest;
  }

  async parseAll(
    files: readonly ManifestToParse[],
    options: ParseAllOptions = {},
  ): Promise<ManifestParseResult[]> {
    if (this.closed) throw new Error('the manifest parser pool is closed');
    options.signal?.throwIfAborted();
    const chars = files.reduce((sum, file) => sum + file.text.length, 0);
    if (this.inlineSpoilt || chars > this.options.inlineMaxChars)
      return this.onThreads().parseAll(files, options);

    const budgetEnds = this.options.budgetMs === undefined ? Infinity : now() + this.options.budgetMs;
    const results: ManifestParseResult[] = [];
    // Included files count toward inlineMaxChars too, as they are read.
    const size = { chars };
    for (const [i, file] of files.entries()) {
      options.signal?.throwIfAborted();
      const outcome = this.parseInline(file, options, budgetEnds, size);
      if (outcome === 'too-large') {
        const left = budgetEnds === Infinity ? undefined : Math.max(0, budgetEnds - now());
        results.push(...(await this.onThreads().parseAll(files.slice(i), options, left)));
        return results;
      }
      if (outcome === 'over-budget') {
        for (const rest of files.slice(i)) results.push(parseOverBudget(rest.path, this.options.budgetMs));
        return results;
      }
      if (outcome === 'timeout') {
        results.push(parseTimedOut(file.path, this.options.deadlineMs));
        // The rest get what is left of this call's budget, not a fresh one.
        const left = budgetEnds === Infinity ? undefined : Math.max(0, budgetEnds - now());
        results.push(...(await this.onThreads().parseAll(files.slice(i + 1), options, left)));
        return results;
      }
      results.push(outcome);
    }
    return results;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.threads?.close();
  }

  private onThreads(): PiscinaManifestParserPool {
    this.threads ??= this.startThreads(this.options);
    return this.threads;
  }

  /** As the thread pool's parseOne: rounds of includes, the deadline counted over all of them. */
  private parseInline(
    file: ManifestToParse,
    options: ParseAllOptions,
    budgetEnds: number,
    size: { chars: number },
  ): ManifestParseResult | 'timeout' | 'over-budget' | 'too-large' {
    const includes = new Map<string, IncludeAnswer>();
    let deadlineMs = this.options.deadlineMs;
    for (let round = 1; ; round++) {
      const budgetMs = budgetEnds - now();
      if (budgetMs <= 0) return 'over-budget';
      const started = now();
      HOST[PARSE] = () => runParseTask(this.parse, { path: file.path, text: file.text, includes });
      let outcome: ReturnType<typeof runParseTask>;
      try {
        outcome = RUN.runInThisContext({
          timeout: Math.max(1, Math.ceil(Math.min(deadlineMs, budgetMs))),
        }) as ReturnType<typeof runParseTask>;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
        this.inlineSpoilt = true;
        return deadlineMs <= budgetMs ? 'timeout' : 'over-budget';
      } finally {
        delete HOST[PARSE];
      }
      const missing = outcome.missingIncludes.filter((p) => !includes.has(p));
      if (missing.length === 0 || !options.readInclude || round === MAX_INCLUDE_ROUNDS) return outcome.result;
      deadlineMs -= now() - started;
      if (deadlineMs <= 0) return 'timeout';
      for (const includePath of missing) {
        const answer = readOrNull(options.readInclude, includePath);
        includes.set(includePath, answer);
        if (typeof answer === 'string') size.chars += answer.length;
      }
      if (size.chars > this.options.inlineMaxChars) return 'too-large';
    }
  }
}
