// The @repoguard/cli package's bin (cli.js): runs the bundle, check.js beside it (standalone.main.ts
// packed), from V8's code cache. Compiling the bundle and the functions a check calls is a large
// part of a small check's start, and Node 20 keeps no cache of its own (module.enableCompileCache
// is Node 22). The cache is written beside the bundle, into the package's own folder, and read
// only when it is this user's and writable by no one else: whoever could write it could rewrite
// check.js too. Never into the cache folder (REPOGUARD_CACHE_DIR), which a CI run may restore from
// another branch's run: a catalog there can hide advisories, bytecode could run code.
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { isAscii } from 'node:buffer';
import * as path from 'node:path';
import { Script } from 'node:vm';

/** SHA-256 of check.js (scripts/pack-cli.ts): names the release whose bytecode a cache holds. */
declare const __REPOGUARD_BUNDLE_DIGEST__: string;

const BUNDLE = path.join(__dirname, 'check.js');

/**
 * The cache's file: one per bundle as it is on disk (V8 checks a cache only against its source's
 * length, so a check.js edited to the same length would otherwise run the old bytecode), per Node
 * version and per set of Node and V8 options (V8 refuses a cache made under other flags, and two
 * would take turns rewriting it). The options are named by a hash of their text: not
 * v8.cachedDataVersionTag(), whose module took longer to load than the cache saves.
 */
function cacheFile(bundle: Stats): string {
  const options = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join(' ').trim();
  const identity = [bundle.dev, bundle.ino, bundle.size, bundle.mtimeMs, bundle.ctimeMs].join('-');
  return path.join(
    __dirname,
    `.check.js.${__REPOGUARD_BUNDLE_DIGEST__.slice(0, 16)}.${identity}.${process.version}-${process.arch}.${fnv1a(options).toString(36)}.v8-cache`,
  );
}

/** FNV-1a, 32 bits: a short name for a text, not a digest anyone relies on. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * A cache is kept only where ownership can be checked (not on Windows, whose stat shows no owner)
 * and the package's folder can be written: elsewhere it would be made at every exit and never read.
 */
function cacheKept(): boolean {
  if (typeof process.getuid !== 'function') return false;
  try {
    accessSync(__dirname, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The cache's bytes, if it is a regular file of this user's that no one else may write. */
function readCache(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) return undefined;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Written whole under another name, then renamed: a check starting meanwhile reads none or all. */
function writeCache(file: string, data: Buffer): void {
  const partial = `${file}.${process.pid}`;
  try {
    writeFileSync(partial, data, { mode: 0o644, flag: 'wx' });
    renameSync(partial, file);
  } catch {
    rmSync(partial, { force: true });
  }
}

/**
 * The bundle's text as the source of a function taking what Node passes a CommonJS module (on
 * lines of their own, so positions in check.js stay as they are), and what stat says of the very
 * file it was read from. The bundle is ASCII (pack-cli.ts makes it so): its bytes are then read in
 * place between the wrapper's and become one string, rather than a decoded string and a second
 * made by joining it to the wrapper (each 300 KB, about a millisecond each of a small check).
 */
function readBundle(): { text: string; stat: Stats } {
  const fd = openSync(BUNDLE, 'r');
  try {
    const stat = fstatSync(fd);
    const bytes = Buffer.allocUnsafe(WRAPPER_START.length + stat.size + WRAPPER_END.length);
    bytes.write(WRAPPER_START, 0, 'latin1');
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, WRAPPER_START.length + read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const end = WRAPPER_START.length + read;
    bytes.write(WRAPPER_END, end, 'latin1');
    const wrapped = bytes.subarray(0, end + WRAPPER_END.length);
    const text = isAscii(wrapped)
      ? wrapped.toString('latin1')
      : `${WRAPPER_START}${bytes.toString('utf8', WRAPPER_START.length, end)}${WRAPPER_END}`;
    return { stat, text };
  } finally {
    closeSync(fd);
  }
}

const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_END = '\n})';

/** A check's run compiles what checks need; `--help` or a usage error would cache little of it. */
function runsACheck(): boolean {
  const args = process.argv.slice(2);
  return args[0] === 'check' && !args.includes('--help') && !args.includes('-h');
}

function run(): void {
  // The source map is read for files Node loads itself; a check run for its stack traces can do
  // without the cache.
  if (process.sourceMapsEnabled) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle beside this file
    require(BUNDLE);
    return;
  }
  const bundle = readBundle();
  const kept = cacheKept();
  const file = kept ? cacheFile(bundle.stat) : undefined;
  const cachedData = file === undefined ? undefined : readCache(file);
  const script = new Script(bundle.text, {
    filename: BUNDLE,
    lineOffset: -1,
    cachedData,
  });
  // After the check: the cache then holds the functions it compiled too, not only the top level.
  if (file !== undefined && (cachedData === undefined || script.cachedDataRejected === true) && runsACheck())
    process.once('exit', () => writeCache(file, script.createCachedData()));
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
