import * as os from 'node:os';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_PARSER_MEMORY_MB } from '../parsing/parse-task';
import type { PiscinaManifestParserPoolOptions } from '../parsing/piscina-manifest-parser-pool';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern's constructor type
type Constructor = abstract new (...args: any[]) => object;

/**
 * PARSE_* variables, read by the worker (WorkerConfig) and `repoguard check` alike: a mixin so
 * both validate them with the same rules.
 */
export function WithParsingConfig<TBase extends Constructor>(Base: TBase) {
  abstract class ParsingVariables extends Base {
    /** Worker threads parsing manifests; default: one per core but one, at least one. */
    @Type(() => Number)
    @IsInt({ message: 'must be a whole number of threads' })
    @Min(1)
    @Max(64)
    PARSE_THREADS: number = Math.max(1, os.availableParallelism() - 1);

    /** How long one manifest may parse before its thread is stopped and it gets PARSE_TIMEOUT. */
    @Type(() => Number)
    @IsInt({ message: 'must be a whole number of milliseconds' })
    @Min(100)
    @Max(600_000)
    PARSE_DEADLINE_MS: number = 10_000;

    /**
     * How long parsing one commit's manifests may take in all; the rest get PARSE_BUDGET_EXCEEDED.
     * Below the parse step's 2-minute start-to-close timeout, so the scan goes on with what was
     * parsed instead of the step timing out and being retried.
     */
    @Type(() => Number)
    @IsInt({ message: 'must be a whole number of milliseconds' })
    @Min(1_000)
    @Max(3_600_000)
    PARSE_BUDGET_MS: number = 90_000;

    /** Each parser thread's heap; a manifest whose parse needs more gets PARSER_FAILED. */
    @Type(() => Number)
    @IsInt({ message: 'must be a whole number of megabytes' })
    @Min(32)
    @Max(16_384)
    PARSE_MEMORY_MB: number = DEFAULT_PARSER_MEMORY_MB;

    get parserPoolOptions(): PiscinaManifestParserPoolOptions {
      return {
        threads: this.PARSE_THREADS,
        deadlineMs: this.PARSE_DEADLINE_MS,
        budgetMs: this.PARSE_BUDGET_MS,
        memoryMb: this.PARSE_MEMORY_MB,
      };
    }
  }
  return ParsingVariables;
}
