import { once, setMaxListeners } from 'node:events';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type {
  ManifestParseResult,
  ManifestParserPool,
  ManifestToParse,
  ParseAllOptions,
} from '@repoguard/domain';
import type { ParserWorkerData, ParseTask } from './parse-manifest.worker';
import {
  type IncludeAnswer,
  MAX_INCLUDE_ROUNDS,
  DEFAULT_PARSER_MEMORY_MB,
  parseOverBudget,
  parseTimedOut,
  type ParseTaskResult,
  readOrNull,
} from './parse-task';
import { RoundRobinSlots } from './round-robin-slots';

export interface PiscinaManifestParserPoolOptions {
  /** Worker threads, each parsing one manifest at a time. */
  readonly threads: number;
  /** How long one manifest may parse (includes read along the way count too). */
  readonly deadlineMs: number;
  /**
   * How long one parseAll may take in all, queueing included; files not parsed by then get
   * PARSE_BUDGET_EXCEEDED. None when absent.
   */
  readonly budgetMs?: number;
  /** Each thread's V8 heap (old generation); a parse past it gets PARSER_FAILED. */
  readonly memoryMb?: number;
  /** Tests only: a module exporting `parseManifest` that the threads run instead of the domain's. */
  readonly parserModule?: string;
}

/** Why a run ended without a result; 'stopped': by the budget or the caller's signal. */
type Stopped = 'timeout' | 'stopped' | 'out-of-memory';

// From source (Jest, `node -r @swc-node/register`) this file is .ts and so is the worker: threads
// start without the parent's TypeScript hook, so they get @swc-node/register and the repository's
// tsconfig (for the @repoguard/* paths). Compiled, the worker is the .js beside this one.
const FROM_SOURCE = __filename.endsWith('.ts');
const WORKER_FILE = path.join(__dirname, `parse-manifest.worker${FROM_SOURCE ? '.ts' : '.js'}`);

function fromSourceOptions() {
  return {
    execArgv: ['--require', require.resolve('@swc-node/register')],
    env: { ...process.env, SWC_NODE_PROJECT: path.resolve(__dirname, '../../../../tsconfig.json') },
  };
}

/**
 * The parser pool on piscina worker threads. A manifest whose parse overruns the deadline has its
 * thread terminated (a regex stuck backtracking would burn a core until then) and a fresh thread
 * takes its place; the manifest is answered with PARSE_TIMEOUT and no dependencies. So does a
 * thread that reaches its heap limit (PARSER_FAILED). Threads are handed to concurrent parseAll
 * calls in turn, one file at a time, so one scan's stuck files delay another's by one deadline at
 * most, not by all of them.
 */
export class PiscinaManifestParserPool implements ManifestParserPool {
  private readonly pool: Piscina<ParseTask, ParseTaskResult>;
  private closed = false;
  /** Threads stopped at a deadline that have not exited yet (see close). */
  private readonly stopping = new Set<Promise<unknown>>();
  /** One slot per thread, taken per file: piscina's own queue is a single FIFO for every caller. */
  private readonly slots: RoundRobinSlots<symbol>;

  constructor(private readonly options: PiscinaManifestParserPoolOptions) {
    const workerData: ParserWorkerData = options.parserModule ? { parserModule: options.parserModule } : {};
    const memoryMb = options.memoryMb ?? DEFAULT_PARSER_MEMORY_MB;
    this.slots = new RoundRobinSlots(options.threads);
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: memoryMb,
        // The nursery stays a small share of the heap; V8's own default is 16-32 MB.
        maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(memoryMb / 8))),
        stackSizeMb: 4,
      },
      ...(FROM_SOURCE ? fromSourceOptions() : {}),
    });
  }

  /** The pool's threads now (for tests and metrics): back to `threads` right after a timed-out parse. */
  get threads(): Worker[] {
    return [...this.pool.threads];
  }

  /** `budgetMs`: what is left of a caller's budget (PARSE_BUDGET_MS counted from elsewhere). */
  async parseAll(
    files: readonly ManifestToParse[],
    options: ParseAllOptions = {},
    budgetMs = this.options.budgetMs,
  ): Promise<ManifestParseResult[]> {
    if (this.closed) throw new Error('the manifest parser pool is closed');
    options.signal?.throwIfAborted();
    const caller = Symbol('parseAll');
    const budget = new AbortController();
    const budgetTimer = budgetMs === undefined ? undefined : setTimeout(() => budget.abort(), budgetMs);
    const stop = options.signal ? AbortSignal.any([options.signal, budget.signal]) : budget.signal;
    // Each file's own deadline listens to `stop`: a repository of many manifests is not a leak,
    // so Node's warning past 10 listeners would only alarm the person reading stderr.
    setMaxListeners(Math.max(10, files.length + 10), stop);
    try {
      // Every file asks for a slot at once: the slots decide the order among callers.
      return await Promise.all(
        files.map(async (file) => {
          const result = await this.parseOne(file, options, caller, stop);
          if (result === 'cancelled') throw options.signal!.reason;
          return result;
        }),
      );
    } finally {
      clearTimeout(budgetTimer);
    }
  }

  /** Stops every thread, a running parse included; parseAll calls after this fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // piscina replaces a thread that exits outside destroy(): let the stopped ones exit first.
    await Promise.allSettled([...this.stopping]);
    await this.pool.destroy();
  }

  /** The file's result, or 'cancelled' when the caller's signal stopped it. */
  private async parseOne(
    file: ManifestToParse,
    options: ParseAllOptions,
    caller: symbol,
    stop: AbortSignal,
  ): Promise<ManifestParseResult | 'cancelled'> {
    const includes = new Map<string, IncludeAnswer>();
    let deadlineMs = this.options.deadlineMs;
    for (let round = 1; ; round++) {
      const outcome = await this.runInTurn(caller, stop, deadlineMs, {
        path: file.path,
        text: file.text,
        includes,
      });
      if (typeof outcome === 'string') return this.stopped(file.path, outcome, options.signal);
      const missing = outcome.missingIncludes.filter((p) => !includes.has(p));
      if (missing.length === 0 || !options.readInclude || round === MAX_INCLUDE_ROUNDS) return outcome.result;
      deadlineMs -= outcome.elapsedMs;
      if (deadlineMs <= 0) return parseTimedOut(file.path, this.options.deadlineMs);
      for (const includePath of missing)
        includes.set(includePath, readOrNull(options.readInclude, includePath));
    }
  }

  /** Waits for this caller's turn at a thread, then runs the task there. */
  private async runInTurn(
    caller: symbol,
    stop: AbortSignal,
    deadlineMs: number,
    task: Omit<ParseTask, 'started'>,
  ): Promise<(ParseTaskResult & { elapsedMs: number }) | Stopped> {
    let release;
    try {
      release = await this.slots.acquire(caller, stop);
    } catch {
      // Only an aborted `stop` refuses a slot.
      return 'stopped';
    }
    try {
      return await this.runWithin(deadlineMs, stop, task);
    } finally {
      release();
    }
  }

  private async runWithin(
    deadlineMs: number,
    stop: AbortSignal,
    task: Omit<ParseTask, 'started'>,
  ): Promise<(ParseTaskResult & { elapsedMs: number }) | Stopped> {
    if (this.closed) throw new Error('the manifest parser pool is closed');
    const { port1, port2 } = new MessageChannel();
    const deadline = new AbortController();
    const signal = AbortSignal.any([deadline.signal, stop]);
    let startedAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    // The clock starts when a thread picks the task up: time queued behind other manifests is not
    // this one's fault.
    port1.once('message', () => {
      startedAt = performance.now();
      timer = setTimeout(() => deadline.abort(), deadlineMs);
    });
    // Registered before piscina's own listener, which terminates a running task's thread.
    const onAbort = () => this.watchTerminated();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.pool.run({ ...task, started: port2 }, { transferList: [port2], signal });
      return { ...result, elapsedMs: startedAt === undefined ? 0 : performance.now() - startedAt };
    } catch (error) {
      if (deadline.signal.aborted) return 'timeout';
      if (stop.aborted) return 'stopped';
      // The input made the thread exhaust its heap: that manifest's fault, like a timeout.
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY' && !this.closed)
        return 'out-of-memory';
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      port1.close();
    }
  }

  /**
   * Remembers the threads piscina terminates right after this (an aborted task's), so close()
   * waits for them to exit: piscina replaces a thread that exits outside destroy().
   */
  private watchTerminated(): void {
    const before = this.pool.threads;
    queueMicrotask(() => {
      const now = new Set(this.pool.threads);
      for (const thread of before) {
        if (now.has(thread) || thread.threadId === -1) continue;
        const exited = once(thread, 'exit').finally(() => this.stopping.delete(exited));
        this.stopping.add(exited);
      }
    });
  }

  private stopped(
    filePath: string,
    why: Stopped,
    callerSignal: AbortSignal | undefined,
  ): ManifestParseResult | 'cancelled' {
    // The budget and the caller's signal share `stop`: the caller's abort wins.
    if (callerSignal?.aborted) return 'cancelled';
    if (why === 'timeout') return parseTimedOut(filePath, this.options.deadlineMs);
    if (why === 'out-of-memory') return outOfMemory(filePath);
    return parseOverBudget(filePath, this.options.budgetMs);
  }
}

function outOfMemory(filePath: string): ManifestParseResult {
  return {
    dependencies: [],
    diagnostics: [
      {
        severity: 'error',
        code: 'PARSER_FAILED',
        message: `${filePath} could not be parsed: the parser ran out of memory (PARSE_MEMORY_MB); none of its dependencies are listed`,
      },
    ],
  };
}
