// The @repoguard/cli package's bin (cli.js): runs the bundle, check.js beside it (standalone.main.ts
// packed), from V8's code cache. Compiling the bundle and the functions a check calls is a large
// part of a small check's start, and Node 20 keeps no cache of its own (module.enableCompileCache
// is Node 22). The cache is written beside the bundle, into the package's own folder, and read
// only when it is this user's and writable by no one else: whoever could write it could rewrite
// check.js too. Never into the cache folder (REPOGUARD_CACHE_DIR), which a CI run may restore from
// another branch's run: a catalog there can hide advisories, bytecode could run code.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { Script } from 'node:vm';

/** SHA-256 of check.js (scripts/pack-cli.ts): V8 checks a cache against its source's length only. */
declare const __REPOGUARD_BUNDLE_DIGEST__: string;

const BUNDLE = path.join(__dirname, 'check.js');
// One per Node version: V8 refuses a cache another version wrote, and two would take turns.
const CACHE = path.join(
  __dirname,
  `.check.js.${__REPOGUARD_BUNDLE_DIGEST__.slice(0, 16)}.${process.version}-${process.arch}.v8-cache`,
);

/** The cache's bytes, if it is a regular file of this user's that no one else may write. */
function readCache(): Buffer | undefined {
  if (typeof process.getuid !== 'function') return undefined;
  let fd: number;
  try {
    fd = openSync(CACHE, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0) return undefined;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Written whole under another name, then renamed: a check starting meanwhile reads none or all. */
function writeCache(data: Buffer): void {
  const partial = `${CACHE}.${process.pid}`;
  try {
    writeFileSync(partial, data, { mode: 0o644, flag: 'wx' });
    renameSync(partial, CACHE);
  } catch {
    // A folder this user may not write (a global install by root): no cache, as before.
    rmSync(partial, { force: true });
  }
}

function run(): void {
  // The source map is read for files Node loads itself; a check run for its stack traces can do
  // without the cache.
  if (process.sourceMapsEnabled) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this file
    require(BUNDLE);
    return;
  }
  const cachedData = readCache();
  // As Node wraps a CommonJS module; on a line of its own, so positions in check.js stay as they are.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {\n${readFileSync(BUNDLE, 'utf8')}\n})`,
    { filename: BUNDLE, lineOffset: -1, cachedData },
  );
  // After the check: the cache then holds the functions it compiled too, not only the top level.
  if (cachedData === undefined || script.cachedDataRejected === true)
    process.once('exit', () => writeCache(script.createCachedData()));
  // This file's require and module: check.js is beside it, and so are the files it requires.
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    require,
    module,
    BUNDLE,
    __dirname,
  );
}

run();
