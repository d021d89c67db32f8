import { once } from 'node:events';
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
import type { IncludeAnswer, ParserWorkerData, ParseTask, ParseTaskResult } from './parse-manifest.worker';

export interface PiscinaManifestParserPoolOptions {
  /** Worker threads, each parsing one manifest at a time. */
  readonly threads: number;
  /** How long one manifest may parse (includes read along the way count too). */
  readonly deadlineMs: number;
  /** Tests only: a module exporting `parseManifest` that the threads run instead of the domain's. */
  readonly parserModule?: string;
}

// Each round answers every include the previous one asked for; real include chains are a few deep.
const MAX_INCLUDE_ROUNDS = 16;

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
 * takes its place; the manifest is answered with PARSE_TIMEOUT and no dependencies.
 */
export class PiscinaManifestParserPool implements ManifestParserPool {
  private readonly pool: Piscina<ParseTask, ParseTaskResult>;
  private closed = false;
  /** Threads stopped at a deadline that have not exited yet (see close). */
  private readonly stopping = new Set<Promise<unknown>>();

  constructor(private readonly options: PiscinaManifestParserPoolOptions) {
    const workerData: ParserWorkerData = options.parserModule ? { parserModule: options.parserModule } : {};
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      workerData,
      ...(FROM_SOURCE ? fromSourceOptions() : {}),
    });
  }

  /** The pool's threads now (for tests and metrics): back to `threads` right after a timed-out parse. */
  get threads(): Worker[] {
    return [...this.pool.threads];
  }

  async parseAll(
    files: readonly ManifestToParse[],
    options: ParseAllOptions = {},
  ): Promise<ManifestParseResult[]> {
    return Promise.all(files.map((file) => this.parseOne(file, options)));
  }

  /** Stops every thread, a running parse included; parseAll calls after this fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // piscina replaces a thread that exits outside destroy(): let the stopped ones exit first.
    await Promise.allSettled([...this.stopping]);
    await this.pool.destroy();
  }

  private async parseOne(file: ManifestToParse, options: ParseAllOptions): Promise<ManifestParseResult> {
    const includes = new Map<string, IncludeAnswer>();
    let budgetMs = this.options.deadlineMs;
    for (let round = 1; ; round++) {
      const outcome = await this.runWithin(budgetMs, { path: file.path, text: file.text, includes });
      if (outcome === 'timeout') return this.timedOut(file.path);
      if (outcome === 'out-of-memory') return outOfMemory(file.path);
      const missing = outcome.missingIncludes.filter((p) => !includes.has(p));
      if (missing.length === 0 || !options.readInclude || round === MAX_INCLUDE_ROUNDS) return outcome.result;
      budgetMs -= outcome.elapsedMs;
      if (budgetMs <= 0) return this.timedOut(file.path);
      for (const includePath of missing)
        includes.set(includePath, readOrNull(options.readInclude, includePath));
    }
  }

  private async runWithin(
    budgetMs: number,
    task: Omit<ParseTask, 'started'>,
  ): Promise<(ParseTaskResult & { elapsedMs: number }) | 'timeout' | 'out-of-memory'> {
    if (this.closed) throw new Error('the manifest parser pool is closed');
    const { port1, port2 } = new MessageChannel();
    const deadline = new AbortController();
    let startedAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    // The clock starts when a thread picks the task up: time queued behind other manifests is not
    // this one's fault.
    port1.once('message', (threadId: number) => {
      startedAt = performance.now();
      timer = setTimeout(() => {
        this.watchExit(threadId);
        deadline.abort();
      }, budgetMs);
    });
    try {
      const result = await this.pool.run(
        { ...task, started: port2 },
        { transferList: [port2], signal: deadline.signal },
      );
      return { ...result, elapsedMs: startedAt === undefined ? 0 : performance.now() - startedAt };
    } catch (error) {
      if (deadline.signal.aborted) return 'timeout';
      // The input made the thread exhaust its heap: that manifest's fault, like a timeout.
      if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY' && !this.closed)
        return 'out-of-memory';
      throw error;
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  private watchExit(threadId: number): void {
    const thread = this.pool.threads.find((t) => t.threadId === threadId);
    if (!thread) return;
    const exited = once(thread, 'exit').finally(() => this.stopping.delete(exited));
    this.stopping.add(exited);
  }

  private timedOut(filePath: string): ManifestParseResult {
    return {
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'PARSE_TIMEOUT',
          message: `${filePath} took longer than ${this.options.deadlineMs} ms to parse (PARSE_DEADLINE_MS) and was stopped; none of its dependencies are listed`,
        },
      ],
    };
  }
}

function outOfMemory(filePath: string): ManifestParseResult {
  return {
    dependencies: [],
    diagnostics: [
      {
        severity: 'error',
        code: 'PARSER_FAILED',
        message: `${filePath} could not be parsed: the parser ran out of memory; none of its dependencies are listed`,
      },
    ],
  };
}

function readOrNull(
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
