import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  advisoryKey,
  type CheckReport,
  checkParsedManifests,
  compareText,
  DEFAULT_POLICY,
  DomainError,
  type IncludeRefused,
  isVendoredPath,
  type ManifestFile,
  type ParseAllOptions,
  type ParsedManifestFile,
  parsePolicy,
  parserFor,
  type PolicyRules,
  SBOM_FILE_NAMES,
  sniffSbomFormat,
} from '@repoguard/domain';
import {
  ConfigError,
  DEFAULT_INLINE_PARSE_MAX_CHARS,
  FileCvssScoreCache,
  FileOsvCatalogCache,
  InlineFirstManifestParserPool,
  type LocalCheckConfig,
  LocalOsvAdvisories,
  readLocalCheckConfig,
} from '@repoguard/infrastructure/local-check';
import { parseCommandArgs, UsageError, type CommandIo } from '../command-io';
import type { CliCommand } from '../dispatch';
import { loadBaseline } from './check-baseline.args';
import { formatJson, formatTable } from './check.output';

export const CHECK_USAGE = `Usage: repoguard check <file-or-dir>... [--sbom <file>]... --advisories <zip-or-dir>... [--policy policy.json] [--format table|json|sarif|cyclonedx] [--baseline previous.json]

Options:
  -s, --sbom <file>              an SBOM to check as well (repeatable): CycloneDX JSON or XML, or
                                 SPDX JSON, whatever the file's name (told by its content)
  -a, --advisories <zip-or-dir>  an OSV export zip or a directory of OSV JSON (repeatable, required)
  -p, --policy <file>            a policy JSON file (default: FAIL on CRITICAL/HIGH, WARN on MEDIUM)
  -f, --format <format>          table (default), json (a JSON document with summary counts),
                                 sarif (a SARIF 2.1.0 log for code scanning: GitHub's
                                 upload-sarif) or cyclonedx (a CycloneDX 1.6 JSON SBOM of the
                                 dependencies read, with the vulnerabilities found)
  -b, --baseline <file>          an earlier --format json output: findings it has are left out of
                                 the report and of the policy's verdict, and counted as known
  -h, --help                     this help

Finds the dependency manifests in the given files and directories, matches them against OSV
advisories (OSV export zips such as PyPI/all.zip, or directories of OSV JSON files) and judges
the findings with a policy (default: FAIL on CRITICAL/HIGH, WARN on MEDIUM).

Includes (-r, -c) are followed only to files inside the files and directories named here, after
resolving symlinks; any other is reported as an INCLUDE_OUTSIDE_ROOT error, naming the include as
written, and never read. Name its directory too to have it checked.

Manifests of up to 1 Mi characters in all (includes counted) are parsed on the command's own
thread, larger inputs in PARSE_THREADS worker threads; one that takes longer than
PARSE_DEADLINE_MS (default 10000) is stopped and reported as a PARSE_TIMEOUT error, the others
checked as usual.

An OSV zip is catalogued on its first check (which records name which packages), in
REPOGUARD_CACHE_DIR (an absolute path; default XDG_CACHE_HOME/repoguard, else ~/.cache/repoguard);
later checks read only the records naming the packages they scan. The folder must be yours and
writable by no one else, or it is not used: a catalog decides which advisories are read.

A manifest that cannot be read in full (an error diagnostic: broken syntax, PARSE_TIMEOUT, a
refused include), or no manifest at all, makes the check INCOMPLETE: a line says so, the policy
says at least WARN ("fail_on_incomplete": true makes it FAIL) and the exit code is 3.

With --baseline, a finding is known when the baseline has the same manifest, package and
vulnerability (by any of its ids), whatever its line or version: the table, JSON and SARIF say how
many were left out, and the policy and exit code judge only the new ones. The JSON output lists
the known findings too, so each run's output is the next run's baseline.

Exit code: 1 when the policy says FAIL, 3 when the check is incomplete (and not FAIL), 0 otherwise,
2 on usage errors.`;

export const CHECK_COMMAND: CliCommand = {
  name: 'check',
  summary: 'scan manifests locally against OSV data (no server needed)',
  usage: CHECK_USAGE,
  run: (argv, io, env) => runCheck(argv, io, env),
};

const CHECK_FORMATS: readonly string[] = ['table', 'json', 'sarif', 'cyclonedx'];

/** Exit codes CI pipelines branch on. */
export const CHECK_EXIT = { ok: 0, fail: 1, usage: 2, incomplete: 3 } as const;

/** `repoguard check`: the local scan for CI pipelines. Resolves to the process exit code. */
export async function runCheck(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (values.help) {
    io.out(CHECK_USAGE);
    return 0;
  }
  const sboms = values.sbom ?? [];
  if (positionals.length === 0 && sboms.length === 0)
    throw new UsageError('name at least one file or directory to check');
  const advisories = values.advisories ?? [];
  if (advisories.length === 0)
    throw new UsageError('--advisories is required: an OSV export zip or a directory of OSV JSON');
  const format = values.format ?? 'table';
  if (!CHECK_FORMATS.includes(format))
    throw new UsageError(`--format must be table, json, sarif or cyclonedx, not "${format}"`);
  const config = loadCheckConfig(env);

  const policy = values.policy ? loadPolicy(values.policy, io.cwd) : DEFAULT_POLICY;
  const known = values.baseline === undefined ? undefined : loadBaseline(values.baseline, io.cwd);
  // A few small manifests parse on this thread: starting a parser thread would take longer.
  const pool = new InlineFirstManifestParserPool({
    ...config.parserPoolOptions,
    inlineMaxChars: DEFAULT_INLINE_PARSE_MAX_CHARS,
  });
  let report: CheckReport;
  let advisoryCount: number;
  try {
    const local = await openAdvisories(advisories, io, config.osvCatalogDir);
    const sbomFiles = collectSboms(sboms, io.cwd);
    const files = [...collectManifests(positionals, io.cwd), ...sbomFiles.map((f) => f.file)];
    const roots = positionals.map((target) => realpathSync(path.resolve(io.cwd, target)));
    const parsed = reportedUnderOwnPaths(
      await parseWith(pool, files, {
        readInclude: (includePath) => readInsideRoots(path.resolve(io.cwd, includePath), roots),
      }),
      sbomFiles,
    );
    // Only the records naming a package read here are inflated and parsed.
    const { index, count } = await local.indexFor(
      new Set(parsed.flatMap((f) => f.parsed.dependencies.map((d) => advisoryKey(d.ecosystem, d.name)))),
    );
    advisoryCount = count;
    // Scores are kept only for zips, whose identity the kept file is bound to (see FileCvssScoreCache).
    const zips = local.zipIdentities();
    const scores = zips && new FileCvssScoreCache(config.osvCatalogDir, zips, RELEASE);
    report = checkParsedManifests(parsed, index, policy, io.now(), { known, scoreCvss: scores?.score });
    scores?.save();
  } finally {
    await pool.close();
  }
  const exitCode = exitCodeOf(report);
  const baseline = known !== undefined;

  if (format === 'sarif') {
    const { formatSarif } = load<typeof import('./check-sarif.output')>('sarif');
    io.out(formatSarif(report, { cwd: io.cwd, exitCode }));
  } else if (format === 'cyclonedx') {
    const { formatCycloneDx } = load<typeof import('./check-cyclonedx.output')>('cyclonedx');
    io.out(formatCycloneDx(report, { cwd: io.cwd, now: io.now() }));
  } else if (format === 'json') io.out(formatJson(report, { baseline }));
  else io.out(formatTable(report, { advisories: advisoryCount, baseline }));
  return exitCode;
}

/**
 * An output format's module, required when that format is asked for: CycloneDX's library is as
 * large as the rest of the packed CLI (which keeps it in lib-cyclonedx.js), and every start paid
 * for loading it. The requires name their files literally so the bundler still finds them.
 */
function load<T>(format: 'sarif' | 'cyclonedx'): T {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return (format === 'sarif' ? require('./check-sarif.output') : require('./check-cyclonedx.output')) as T;
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function exitCodeOf(report: CheckReport): number {
  if (report.evaluation.status === 'FAIL') return CHECK_EXIT.fail;
  return report.completeness.complete ? CHECK_EXIT.ok : CHECK_EXIT.incomplete;
}

/** The worker's parsers and deadline, PARSE_TIMEOUT for a manifest past it. */
async function parseWith(
  pool: InlineFirstManifestParserPool,
  files: readonly ManifestFile[],
  options: ParseAllOptions,
): Promise<ParsedManifestFile[]> {
  const results = await pool.parseAll(files, options);
  return files.map((file, i) => ({ path: file.path, parsed: results[i]! }));
}

function loadCheckConfig(env: NodeJS.ProcessEnv): LocalCheckConfig {
  try {
    return readLocalCheckConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.problems.join('\n'));
    throw error;
  }
}

function parseOptions(argv: readonly string[]) {
  return parseCommandArgs(argv, {
    allowPositionals: true,
    strict: true,
    options: {
      advisories: { type: 'string', multiple: true, short: 'a' },
      policy: { type: 'string', short: 'p' },
      format: { type: 'string', short: 'f' },
      baseline: { type: 'string', short: 'b' },
      sbom: { type: 'string', multiple: true, short: 's' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function loadPolicy(file: string, cwd: string): PolicyRules {
  const full = path.resolve(cwd, file);
  const text = readIfFile(full);
  if (text === undefined) throw new UsageError(`--policy ${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // Not JSON.parse's message: it quotes the text, which may be any file the path leads to.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new UsageError(
      `--policy ${file} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`,
    );
  }
  try {
    return parsePolicy(json, 'policy');
  } catch (error) {
    if (error instanceof DomainError) {
      throw new UsageError(
        `--policy ${file}:\n${error.details.map((d) => `  ${d.field} ${d.problem}`).join('\n')}`,
      );
    }
    throw error;
  }
}

// The packed bundle's build hash and its lazily loaded libraries' digest (webpack defines both;
// they are absent when run from source): a catalog or score written by another release of the CLI
// is recomputed, not reused.
declare const __webpack_hash__: string | undefined;
declare const __REPOGUARD_LIBS_DIGEST__: string | undefined;
const RELEASE =
  typeof __webpack_hash__ === 'string'
    ? `bundle ${__webpack_hash__} libs ${typeof __REPOGUARD_LIBS_DIGEST__ === 'string' ? __REPOGUARD_LIBS_DIGEST__ : '-'}`
    : undefined;

async function openAdvisories(
  sources: readonly string[],
  io: CommandIo,
  catalogDir: string,
): Promise<LocalOsvAdvisories> {
  const local = new LocalOsvAdvisories({ cache: new FileOsvCatalogCache(catalogDir, RELEASE) });
  for (const source of sources) {
    const full = path.resolve(io.cwd, source);
    if (!existsSync(full)) throw new UsageError(`--advisories ${source}: no such file or directory`);
    let problems: Awaited<ReturnType<LocalOsvAdvisories['add']>>;
    try {
      problems = await local.add(full);
    } catch (error) {
      // A cap passed (a zip bomb) or a damaged zip: named, as bad input.
      if (error instanceof DomainError) throw new UsageError(`--advisories ${source}: ${error.message}`);
      throw error;
    }
    if (problems.length > 0) {
      io.err(
        `warning: ${problems.length} entr${problems.length === 1 ? 'y' : 'ies'} of ${source} skipped (first: ${problems[0]?.entry}: ${problems[0]?.problem})`,
      );
    }
  }
  return local;
}

function collectManifests(targets: readonly string[], cwd: string): ManifestFile[] {
  const files = new Map<string, ManifestFile>();
  for (const target of targets) {
    const full = path.resolve(cwd, target);
    if (!existsSync(full)) throw new UsageError(`${target}: no such file or directory`);
    if (statSync(full).isDirectory()) {
      for (const file of walk(full)) {
        const shown = displayPath(file, cwd);
        if (parserFor(path.relative(full, file).split(path.sep).join('/'))) {
          files.set(shown, { path: shown, text: readFileSync(file, 'utf8') });
        }
      }
    } else {
      const shown = displayPath(full, cwd);
      if (!parserFor(path.basename(full)) && !parserFor(shown)) {
        throw new UsageError(`${target} is not a manifest RepoGuard reads (see README: supported formats)`);
      }
      files.set(shown, { path: shown, text: readFileSync(full, 'utf8') });
    }
  }
  return [...files.values()];
}

/** An SBOM given by --sbom: parsed under a name that selects its parser, reported under its own. */
interface SbomFile {
  readonly file: ManifestFile;
  readonly shown: string;
}

function collectSboms(targets: readonly string[], cwd: string): SbomFile[] {
  return targets.map((target, i) => {
    const text = readIfFile(path.resolve(cwd, target));
    if (text === undefined) throw new UsageError(`--sbom ${target}: no such file`);
    const format = sniffSbomFormat(text);
    if (!format)
      throw new UsageError(
        `--sbom ${target} is not an SBOM RepoGuard reads (a CycloneDX JSON or XML BOM, or an SPDX JSON document)`,
      );
    const shown = displayPath(path.resolve(cwd, target), cwd);
    // Parsed under the file name its content says, alone: the file's own path may be one a
    // repository scan skips (vendor/, node_modules/) or a name no parser takes (image-bom.json).
    return { file: { path: `--sbom ${i + 1}/${SBOM_FILE_NAMES[format]}`, text }, shown };
  });
}

function reportedUnderOwnPaths(
  parsed: ParsedManifestFile[],
  sboms: readonly SbomFile[],
): ParsedManifestFile[] {
  const shownAs = new Map(sboms.map((s) => [s.file.path, s.shown]));
  if (shownAs.size === 0) return parsed;
  return parsed.map((file) => {
    const shown = shownAs.get(file.path);
    if (shown === undefined) return file;
    const { dependencies, diagnostics } = file.parsed;
    return {
      path: shown,
      parserId: parserFor(file.path)?.id,
      parsed: {
        dependencies: dependencies.map((d) => ({ ...d, manifestPath: shown })),
        diagnostics: diagnostics.map((d) => ({ ...d, message: d.message.split(file.path).join(shown) })),
      },
    };
  });
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isVendoredPath(`${entry.name}/`)) yield* walk(full);
    } else if (entry.isFile()) {
      yield full;
    }
  }
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative.startsWith('..') ? file : relative).split(path.sep).join('/');
}

const OUTSIDE_ROOTS: IncludeRefused = {
  refused: 'it is outside the files and directories named on the command line',
};

/**
 * An include's text if, symlinks resolved, it is one of the named files or inside a named
 * directory; refused before a byte of it is read otherwise, so nothing of it can be printed. A
 * missing file is "not found" only when where it would be is inside too, so the answer never
 * tells whether a path outside exists.
 */
function readInsideRoots(file: string, roots: readonly string[]): string | IncludeRefused | undefined {
  const location = realLocation(file);
  if (!location) return OUTSIDE_ROOTS;
  const inside = roots.some(
    (root) =>
      location.real === root || location.real.startsWith(root.endsWith(path.sep) ? root : root + path.sep),
  );
  if (!inside) return OUTSIDE_ROOTS;
  return location.exists ? readIfFile(location.real) : undefined;
}

/**
 * The real path of `file`, or that of its nearest existing ancestor with the missing rest joined
 * on; undefined when a symlink on the way cannot be resolved (dangling, looping).
 */
function realLocation(file: string): { real: string; exists: boolean } | undefined {
  const missing: string[] = [];
  let current = file;
  for (;;) {
    try {
      return { real: path.join(realpathSync(current), ...missing), exists: missing.length === 0 };
    } catch {
      if (isSymlink(current)) return undefined;
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      missing.unshift(path.basename(current));
      current = parent;
    }
  }
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function readIfFile(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
