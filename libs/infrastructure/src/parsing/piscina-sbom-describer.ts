import * as path from 'node:path';
import { Piscina } from 'piscina';
import { ValidationError, type SbomDescriber, type SbomDescription } from '@repoguard/domain';
import type { DescribeSbomResult } from './describe-sbom.worker';
import { DEFAULT_PARSER_MEMORY_MB } from './parse-task';

export interface PiscinaSbomDescriberOptions {
  /** Threads describing at once; uploads past them wait their turn. */
  readonly threads: number;
  /** Each thread's V8 heap (old generation). */
  readonly memoryMb?: number;
}

// As the manifest parser pool: from source the worker needs the TypeScript hook and the paths.
const FROM_SOURCE = __filename.endsWith('.ts');
const WORKER_FILE = path.join(__dirname, `describe-sbom.worker${FROM_SOURCE ? '.ts' : '.js'}`);

const IDLE_THREAD_MS = 60_000;

/**
 * describeSbom on worker threads, so an uploaded 10 MB document (seconds of XML or JSON reading)
 * never holds up the API's other requests. Threads start when a document arrives and stop after a minute idle.
 */
export class PiscinaSbomDescriber implements SbomDescriber {
  private readonly pool: Piscina<string, DescribeSbomResult>;

  constructor(options: PiscinaSbomDescriberOptions) {
    const memoryMb = options.memoryMb ?? DEFAULT_PARSER_MEMORY_MB;
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads: options.threads,
      // Piscina stops an idle thread at once by default: every upload would pay a thread's start
      // (loading the domain; seconds from source). Kept a while, a burst of uploads shares it.
      idleTimeout: IDLE_THREAD_MS,
      concurrentTasksPerWorker: 1,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, stackSizeMb: 4 },
      ...(FROM_SOURCE
        ? {
            execArgv: ['--require', require.resolve('@swc-node/register')],
            env: { ...process.env, SWC_NODE_PROJECT: path.resolve(__dirname, '../../../../tsconfig.json') },
          }
        : {}),
    });
  }

  async describe(text: string): Promise<SbomDescription> {
    const result = await this.pool.run(text);
    if ('description' in result) return result.description;
    const { message, details, code } = result.refused;
    throw new ValidationError(message, details, code);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
