import { Type } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import type { PiscinaManifestParserPoolOptions } from '../parsing/piscina-manifest-parser-pool';
import { parserPoolOptionsOf, parsingDefaults, parsingRules, wholeNumberProblem } from './parsing-variables';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern's constructor type
type Constructor = abstract new (...args: any[]) => object;

/**
 * PARSE_* variables for a config class validated by loadConfig (the worker's): a mixin, with the
 * rules of PARSING_VARIABLES, which `repoguard check` reads by the same rules without the class.
 */
export function WithParsingConfig<TBase extends Constructor>(Base: TBase) {
  const defaults = parsingDefaults();
  abstract class ParsingVariables extends Base {
    PARSE_THREADS: number = defaults.PARSE_THREADS;
    PARSE_DEADLINE_MS: number = defaults.PARSE_DEADLINE_MS;
    PARSE_BUDGET_MS: number = defaults.PARSE_BUDGET_MS;
    PARSE_MEMORY_MB: number = defaults.PARSE_MEMORY_MB;

    get parserPoolOptions(): PiscinaManifestParserPoolOptions {
      return parserPoolOptionsOf(this);
    }
  }
  // The decorators each field would carry, applied from the table.
  for (const [name, rule] of parsingRules()) {
    Type(() => Number)(ParsingVariables.prototype, name);
    ValidateBy({
      name: 'wholeNumberInRange',
      validator: {
        validate: (value) => wholeNumberProblem(value, rule) === null,
        defaultMessage: (args) => wholeNumberProblem(args?.value, rule) ?? '',
      },
    })(ParsingVariables.prototype, name);
  }
  return ParsingVariables;
}
