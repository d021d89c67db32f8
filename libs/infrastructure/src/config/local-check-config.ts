import * as os from 'node:os';
import * as path from 'node:path';
import type { PiscinaManifestParserPoolOptions } from '../parsing/piscina-manifest-parser-pool';
import { ConfigError, describeVariable } from './config-error';
import { parserPoolOptionsOf, parsingDefaults, parsingRules, wholeNumberProblem } from './parsing-variables';

// POSIX (/...) or Windows (C:\..., \\server\...).
const ABSOLUTE = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

/** What `repoguard check` reads from the environment: the PARSE_* variables and its cache folder. */
export interface LocalCheckConfig {
  readonly parserPoolOptions: PiscinaManifestParserPoolOptions;
  /** Where OSV zip catalogs are kept between checks; a speed-up only. */
  readonly osvCatalogDir: string;
}

/**
 * Reads and validates the check's variables, every problem at once (ConfigError, one line per
 * variable, as loadConfig words them). Without class-validator: the PARSE_* rules are the
 * worker's (PARSING_VARIABLES), and the one rule of its own, an absolute REPOGUARD_CACHE_DIR, is
 * a pattern. Set but empty is unset, as loadConfig reads it.
 */
export function readLocalCheckConfig(env: Record<string, string | undefined>): LocalCheckConfig {
  const problems: string[] = [];
  const values = parsingDefaults();
  for (const [name, rule] of parsingRules()) {
    const raw = set(env[name]);
    if (raw === undefined) continue;
    const value = Number(raw);
    const problem = wholeNumberProblem(value, rule);
    if (problem === null) values[name] = value;
    else problems.push(describeVariable(name, raw, [problem]));
  }
  // Absolute: a relative one would change with the directory a pipeline step runs in.
  const cacheDir = set(env['REPOGUARD_CACHE_DIR']);
  if (cacheDir !== undefined && !ABSOLUTE.test(cacheDir))
    problems.push(describeVariable('REPOGUARD_CACHE_DIR', cacheDir, ['must be an absolute path']));
  if (problems.length > 0) throw new ConfigError(problems);

  // The XDG base directory for caches; a relative one is ignored, as the specification says.
  const xdgSet = set(env['XDG_CACHE_HOME']);
  const xdg = xdgSet !== undefined && ABSOLUTE.test(xdgSet) ? xdgSet : undefined;
  const base = cacheDir ?? path.join(xdg ?? path.join(os.homedir(), '.cache'), 'repoguard');
  return { parserPoolOptions: parserPoolOptionsOf(values), osvCatalogDir: path.join(base, 'osv-catalogs') };
}

function set(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
