// Jest setupFiles: `repoguard check` run by a test keeps its OSV catalogs in a folder under the
// system's temporary directory, never in the user's ~/.cache. Child processes get it through
// their environment (the specs that build one from scratch pass REPOGUARD_CACHE_DIR on).
import * as os from 'node:os';
import * as path from 'node:path';

if (!process.env['REPOGUARD_CACHE_DIR']) {
  const user = typeof process.getuid === 'function' ? process.getuid() : 'user';
  process.env['REPOGUARD_CACHE_DIR'] = path.join(os.tmpdir(), `repoguard-test-cache-${user}`);
}
