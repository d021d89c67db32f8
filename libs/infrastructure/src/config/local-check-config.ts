import 'reflect-metadata';
import * as os from 'node:os';
import * as path from 'node:path';
import { IsOptional, Matches } from 'class-validator';
import { WithParsingConfig } from './parsing-config';

// POSIX (/...) or Windows (C:\..., \\server\...).
const ABSOLUTE = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

/** What `repoguard check` reads from the environment: the PARSE_* variables and its cache folder. */
export class LocalCheckConfig extends WithParsingConfig(class {}) {
  /**
   * Where OSV zip catalogs are kept between checks (in `osv-catalogs/`); a speed-up only. Absolute:
   * a relative one would change with the directory a pipeline step runs in.
   */
  @IsOptional()
  @Matches(ABSOLUTE, { message: 'must be an absolute path' })
  REPOGUARD_CACHE_DIR?: string;

  /** The XDG base directory for caches; a relative one is ignored, as the specification says. */
  XDG_CACHE_HOME?: string;

  get osvCatalogDir(): string {
    const xdg = this.XDG_CACHE_HOME && ABSOLUTE.test(this.XDG_CACHE_HOME) ? this.XDG_CACHE_HOME : undefined;
    const base = this.REPOGUARD_CACHE_DIR ?? path.join(xdg ?? path.join(os.homedir(), '.cache'), 'repoguard');
    return path.join(base, 'osv-catalogs');
  }
}
