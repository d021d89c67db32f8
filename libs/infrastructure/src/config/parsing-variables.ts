import * as os from 'node:os';
import { DEFAULT_PARSER_MEMORY_MB } from '../parsing/parse-task';
import type { PiscinaManifestParserPoolOptions } from '../parsing/piscina-manifest-parser-pool';

/** A PARSE_* variable: a whole number of `unit` from `min` to `max`. */
export interface WholeNumberRule {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/**
 * The PARSE_* variables the worker and `repoguard check` both read, and their rules: the worker
 * validates them with class-validator (WithParsingConfig), the CLI without it (readLocalCheckConfig:
 * loading class-validator, class-transformer and reflect-metadata was 3 ms of a 95 ms check), both
 * by these rules and wholeNumberProblem's words.
 */
export const PARSING_VARIABLES = {
  /** Worker threads parsing manifests. */
  PARSE_THREADS: { min: 1, max: 64, unit: 'threads' },
  /** How long one manifest may parse before its thread is stopped and it gets PARSE_TIMEOUT. */
  PARSE_DEADLINE_MS: { min: 100, max: 600_000, unit: 'milliseconds' },
  /**
   * How long parsing one commit's manifests may take in all; the rest get PARSE_BUDGET_EXCEEDED.
   * Below the parse step's 2-minute start-to-close timeout, so the scan goes on with what was
   * parsed instead of the step timing out and being retried.
   */
  PARSE_BUDGET_MS: { min: 1_000, max: 3_600_000, unit: 'milliseconds' },
  /** Each parser thread's heap; a manifest whose parse needs more gets PARSER_FAILED. */
  PARSE_MEMORY_MB: { min: 32, max: 16_384, unit: 'megabytes' },
} as const satisfies Record<string, WholeNumberRule>;

export type ParsingVariable = keyof typeof PARSING_VARIABLES;
export type ParsingValues = Record<ParsingVariable, number>;

/** Each variable with its rule, in the table's order. */
export function parsingRules(): [ParsingVariable, WholeNumberRule][] {
  return Object.entries(PARSING_VARIABLES) as [ParsingVariable, WholeNumberRule][];
}

/** Each variable's value when it is not set. */
export function parsingDefaults(): ParsingValues {
  return {
    // One thread per core but one, at least one.
    PARSE_THREADS: Math.max(1, os.availableParallelism() - 1),
    PARSE_DEADLINE_MS: 10_000,
    PARSE_BUDGET_MS: 90_000,
    PARSE_MEMORY_MB: DEFAULT_PARSER_MEMORY_MB,
  };
}

/** What is wrong with a value (converted as Number() converts the variable's text), or null. */
export function wholeNumberProblem(value: unknown, rule: WholeNumberRule): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a whole number of ${rule.unit}`;
  if (value < rule.min) return `must be at least ${rule.min}`;
  if (value > rule.max) return `must be at most ${rule.max}`;
  return null;
}

export function parserPoolOptionsOf(values: ParsingValues): PiscinaManifestParserPoolOptions {
  return {
    threads: values.PARSE_THREADS,
    deadlineMs: values.PARSE_DEADLINE_MS,
    budgetMs: values.PARSE_BUDGET_MS,
    memoryMb: values.PARSE_MEMORY_MB,
  };
}
