import * as os from 'node:os';
import * as path from 'node:path';
import { LocalCheckConfig } from './local-check-config';
import { ConfigError, loadConfig } from './load-config';

describe('LocalCheckConfig', () => {
  const catalogDir = (env: Record<string, string>) => loadConfig(LocalCheckConfig, env).osvCatalogDir;

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
    expect(() => loadConfig(LocalCheckConfig, { REPOGUARD_CACHE_DIR: 'cache' })).toThrow(ConfigError);
  });
});
