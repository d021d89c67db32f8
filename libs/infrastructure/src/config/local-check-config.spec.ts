import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { readLocalCheckConfig } from './local-check-config';
import { WithParsingConfig } from './parsing-config';
import { parsingDefaults } from './parsing-variables';

/** The problems an environment gets, [] when it loads. */
function problemsOf(read: () => unknown): string[] {
  try {
    read();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

class ParsingOnly extends WithParsingConfig(class {}) {}

describe('readLocalCheckConfig', () => {
  const catalogDir = (env: Record<string, string>) => readLocalCheckConfig(env).osvCatalogDir;

  it('keeps OSV catalogs in REPOGUARD_CACHE_DIR, else XDG_CACHE_HOME/repoguard, else ~/.cache/repoguard', () => {
    expect(catalogDir({ REPOGUARD_CACHE_DIR: '/ci/cache', XDG_CACHE_HOME: '/xdg' })).toBe(
      '/ci/cache/osv-catalogs',
    );
    expect(catalogDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/repoguard/osv-catalogs');
    // Set but empty is unset, as in a .env file; a relative XDG_CACHE_HOME is ignored (XDG spec).
    const home = path.join(os.homedir(), '.cache/repoguard/osv-catalogs');
    expect(catalogDir({ REPOGUARD_CACHE_DIR: '', XDG_CACHE_HOME: 'relative' })).toBe(home);
    expect(catalogDir({})).toBe(home);
  });

  it('refuses a relative REPOGUARD_CACHE_DIR: it would move with the directory a step runs in', () => {
    expect(problemsOf(() => readLocalCheckConfig({ REPOGUARD_CACHE_DIR: 'cache' }))).toEqual([
      'REPOGUARD_CACHE_DIR is "cache": must be an absolute path',
    ]);
  });

  it('takes the PARSE_* defaults and values the worker takes', () => {
    const worker = (env: Record<string, string>) => loadConfig(ParsingOnly, env).parserPoolOptions;
    const check = (env: Record<string, string>) => readLocalCheckConfig(env).parserPoolOptions;
    expect(check({})).toEqual(worker({}));
    expect(check({}).deadlineMs).toBe(parsingDefaults().PARSE_DEADLINE_MS);
    const set = {
      PARSE_THREADS: '3',
      PARSE_DEADLINE_MS: '2500',
      PARSE_BUDGET_MS: '60000',
      PARSE_MEMORY_MB: '256',
    };
    expect(check(set)).toEqual({ threads: 3, deadlineMs: 2500, budgetMs: 60000, memoryMb: 256 });
    expect(check(set)).toEqual(worker(set));
  });

  // What the worker says of each hostile value, word for word: the rules live in one table.
  it.each([
    ['PARSE_THREADS', '0'],
    ['PARSE_THREADS', '65'],
    ['PARSE_THREADS', 'many'],
    ['PARSE_DEADLINE_MS', '99'],
    ['PARSE_DEADLINE_MS', '1.5'],
    ['PARSE_BUDGET_MS', '-1000'],
    ['PARSE_MEMORY_MB', '1e9'],
    ['PARSE_MEMORY_MB', 'Infinity'],
  ])('refuses %s=%p with the words the worker uses', (name, value) => {
    const check = problemsOf(() => readLocalCheckConfig({ [name]: value }));
    expect(check).toHaveLength(1);
    expect(check[0]).toMatch(new RegExp(`^${name} is "${value.replace('.', '\\.')}": must be `));
    expect(check).toEqual(problemsOf(() => loadConfig(ParsingOnly, { [name]: value })));
  });

  it('reports every bad variable at once', () => {
    expect(
      problemsOf(() =>
        readLocalCheckConfig({ PARSE_THREADS: 'x', REPOGUARD_CACHE_DIR: 'rel', PARSE_MEMORY_MB: '1' }),
      ),
    ).toEqual([
      'PARSE_THREADS is "x": must be a whole number of threads',
      'PARSE_MEMORY_MB is "1": must be at least 32',
      'REPOGUARD_CACHE_DIR is "rel": must be an absolute path',
    ]);
  });
});
