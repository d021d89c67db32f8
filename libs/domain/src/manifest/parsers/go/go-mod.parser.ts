import { normalizePackageName } from '../../../ecosystem/package-name';
import type { ManifestDiagnostic, ManifestParser, ManifestParseResult } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import {
  duplicateDiagnostic,
  GoDependencyList,
  isGoVersion,
  RequirementsByPath,
  unpinnedDiagnostic,
} from './go-dependency-list';
import {
  isAsciiSpace,
  isDelimiter,
  isDelimiterAt,
  PlainGoModLine,
  plainIndirect,
  scanPlainGoModLine,
} from './plain-go-mod-line';

interface Replacement {
  readonly fromPath: string;
  /** Absent when the replacement applies to every version of the module. */
  readonly fromVersion?: string;
  readonly toPath: string;
  /** Absent for a local directory replacement. */
  readonly toVersion?: string;
  readonly line: number;
}

interface TokenizedLine {
  readonly tokens: string[];
  readonly comment?: string;
  readonly error?: string;
}

// Directives that carry no dependency for us; `exclude` only narrows what MVS may pick.
const SKIPPED = new Set(['module', 'go', 'toolchain', 'godebug', 'exclude', 'retract', 'tool', 'ignore']);
const BLOCK_DIRECTIVES = new Set(['require', 'replace', 'exclude', 'retract', 'godebug', 'tool', 'ignore']);
const KEYWORDS = new Set([...SKIPPED, ...BLOCK_DIRECTIVES]);
const PUNCTUATION = new Set(['(', ')', '[', ']', ',', '{', '}']);
const OPEN = 0x28;
const CLOSE = 0x29;
/**
 * `go.mod`: every `require` (Go 1.17+ lists the whole build list, `// indirect` marking what the
 * module does not import itself), with `replace` directives applied the way the go command does.
 */
export const goModParser: ManifestParser = {
  id: 'go-mod',
  ecosystem: 'Go',
  parse(path, text) {
    return parseGoMod(path, text, true);
  },
};

/**
 * The parse; `fast` false takes the general path throughout (every line through the tokenizer,
 * repeats merged by name), which the property spec holds the fast paths to.
 */
export function parseGoMod(path: string, text: string, fast: boolean): ManifestParseResult {
  if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
  const source = normalizeText(text);
  // Merged as read where a path is sure to be its dependency's name: no replace directive, and no
  // quoted path, which may hold spaces that the name drops.
  const byPath = fast && !source.includes('replace') && !source.includes('"') && !source.includes('`');
  const run = new GoModRun(path, byPath);
  // Lines by index rather than `split`: a plain line is read in place, with no string of its own.
  for (let start = 0, line = 1; ; line++) {
    const newline = source.indexOf('\n', start);
    const end = newline < 0 ? source.length : newline;
    if (!(fast && run.readPlainLine(source, start, end, line))) run.readLine(source.slice(start, end), line);
    if (newline < 0) break;
    start = newline + 1;
  }
  return run.finish(path);
}

class GoModRun {
  readonly diagnostics: ManifestDiagnostic[] = [];
  private readonly list: GoDependencyList;
  private readonly byPath: RequirementsByPath | undefined;
  // Otherwise requirements as columns rather than an object each: a go.mod may list 100,000.
  private readonly paths: string[] = [];
  private readonly versions: string[] = [];
  private readonly indirect: boolean[] = [];
  private readonly lines: number[] = [];
  private readonly replacements: Replacement[] = [];
  private hasModule = false;
  private block: { verb: string; line: number } | undefined;
  private readonly plain = new PlainGoModLine();

  constructor(path: string, byPath: boolean) {
    this.list = new GoDependencyList(path);
    this.byPath = byPath ? new RequirementsByPath(this.list) : undefined;
  }

  /** Reads a line `scanPlainGoModLine` accepts, in the shapes go.mod files are made of; false for the rest. */
  readPlainLine(source: string, start: number, end: number, line: number): boolean {
    const at = this.plain;
    if (!scanPlainGoModLine(source, start, end, at)) return false;
    const { count } = at;
    if (count === 0) return true;
    const block = this.block;
    if (block) {
      if (count === 1 && source.charCodeAt(at.start0) === CLOSE) {
        this.block = undefined;
        return true;
      }
      if (isDelimiterAt(source, at.start0)) return false;
      const first = source.slice(at.start0, at.end0);
      if (KEYWORDS.has(first)) return false;
      if (block.verb === 'require') {
        if (count !== 2 || isDelimiterAt(source, at.start1)) return false;
        this.require(first, source.slice(at.start1, at.end1), this.plainIndirect(source, end), line);
        return true;
      }
      if (!SKIPPED.has(block.verb)) return false;
      if (block.verb === 'module') this.hasModule = true;
      return true;
    }
    const verb = source.slice(at.start0, at.end0);
    if (count > 1 && source.charCodeAt(at.start1) === OPEN) {
      if (!BLOCK_DIRECTIVES.has(verb) && !SKIPPED.has(verb))
        this.invalid(line, `unknown directive "${verb}"`);
      else if (count === 2) this.block = { verb, line };
      else return false;
      return true;
    }
    if (SKIPPED.has(verb)) {
      if (verb === 'module') this.hasModule = true;
      return true;
    }
    if (verb === 'require') {
      if (count !== 3 || isDelimiterAt(source, at.start1) || isDelimiterAt(source, at.start2)) return false;
      const modulePath = source.slice(at.start1, at.end1);
      this.require(modulePath, source.slice(at.start2, at.end2), this.plainIndirect(source, end), line);
      return true;
    }
    if (verb === 'replace') return false;
    this.invalid(line, `unknown directive "${verb}"`);
    return true;
  }

  /** Any line, through the general tokenizer. */
  readLine(raw: string, line: number): void {
    const { tokens, comment, error } = tokenize(raw);
    if (error) return this.invalid(line, error);
    if (tokens.length === 0) return;
    if (this.block) {
      if (tokens.length === 1 && tokens[0] === ')') {
        this.block = undefined;
        return;
      }
      if (!KEYWORDS.has(tokens[0] as string)) return this.handle(this.block.verb, tokens, comment, line);
      // A directive inside a block means its `)` was lost; read on as if it had been there.
      this.invalid(
        line,
        `the ${this.block.verb} block opened on line ${this.block.line} is not closed before this line`,
      );
      this.block = undefined;
    }
    // slice, not `[verb, ...args]`: the iterator protocol costs far more on a line of many tokens.
    const verb = tokens[0] as string;
    const args = tokens.slice(1);
    if (args[0] === '(') {
      if (!BLOCK_DIRECTIVES.has(verb) && !SKIPPED.has(verb))
        return this.invalid(line, `unknown directive "${verb}"`);
      if (args.length === 1) this.block = { verb, line };
      else if (args.length !== 2 || args[1] !== ')') this.invalid(line, `unexpected text after "${verb} ("`);
      return;
    }
    this.handle(verb, args, comment, line);
  }

  finish(path: string): ManifestParseResult {
    const { diagnostics, paths, versions, lines } = this;
    if (this.block) {
      diagnostics.push({
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: `the ${this.block.verb} block opened on line ${this.block.line} is never closed (truncated file?)`,
        line: this.block.line,
      });
    }
    if (!this.hasModule) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no module directive`,
      });
    }

    const { list } = this;
    if (this.byPath) {
      const merged = [...diagnostics, ...this.byPath.diagnostics, ...list.repeatDiagnostics()];
      return { dependencies: list.dependencies(), diagnostics: merged };
    }
    const replacementOf = this.replacements.length === 0 ? undefined : replacementIndex(this.replacements);
    // Index of each module path's last requirement.
    const seen = new Map<string, number>();
    for (let i = 0; i < paths.length; i++) {
      const requiredPath = paths[i] as string;
      const requiredVersion = versions[i] as string;
      const line = lines[i] as number;
      const earlier = seen.get(requiredPath);
      const reported = earlier !== undefined && versions[earlier] !== requiredVersion;
      if (reported) {
        const earlierVersion = versions[earlier] as string;
        diagnostics.push(
          duplicateDiagnostic(requiredPath, earlierVersion, lines[earlier] as number, requiredVersion, line),
        );
      }
      seen.set(requiredPath, i);

      const replacement = replacementOf?.(requiredPath, requiredVersion);
      if (replacement && replacement.toVersion === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${requiredPath} ${requiredVersion} is replaced by the local directory ${replacement.toPath}; it has no registry version to check`,
          line: replacement.line,
        });
        continue;
      }
      const modulePath = replacement?.toPath ?? requiredPath;
      const version = replacement?.toVersion ?? requiredVersion;
      const pinned = isGoVersion(version);
      if (!pinned) diagnostics.push(unpinnedDiagnostic(modulePath, version, line));
      list.add(normalizePackageName('Go', modulePath), version, pinned, !this.indirect[i], line, reported);
    }
    return { dependencies: list.dependencies(), diagnostics: [...diagnostics, ...list.repeatDiagnostics()] };
  }

  private handle(verb: string, args: string[], comment: string | undefined, line: number): void {
    if (verb === 'module') this.hasModule = true;
    if (SKIPPED.has(verb)) return;
    if (verb === 'require') {
      if (args.length !== 2 || args.some((a) => PUNCTUATION.has(a))) {
        return this.invalid(line, `require needs a module path and a version: ${args.join(' ')}`);
      }
      const [modulePath, version] = args as [string, string];
      return this.require(modulePath, version, isIndirect(comment), line);
    }
    if (verb === 'replace') {
      const replacement = parseReplace(args, line);
      if (typeof replacement === 'string') return this.invalid(line, replacement);
      this.replacements.push(replacement);
      return;
    }
    this.invalid(line, `unknown directive "${verb}"`);
  }

  private require(modulePath: string, version: string, indirect: boolean, line: number): void {
    if (this.byPath) return this.byPath.add(modulePath, version, !indirect, line);
    this.paths.push(modulePath);
    this.versions.push(version);
    this.indirect.push(indirect);
    this.lines.push(line);
  }

  private plainIndirect(source: string, end: number): boolean {
    const from = this.plain.commentStart;
    if (from < 0) return false;
    return plainIndirect(source, from, end) ?? isIndirect(source.slice(from, end));
  }

  private invalid(line: number, message: string): void {
    this.diagnostics.push({ severity: 'warning', code: 'INVALID_SYNTAX', message, line });
  }
}

// Same rule as golang.org/x/mod/modfile: the first comment is exactly `indirect` or `indirect; ...`.
function isIndirect(comment: string | undefined): boolean {
  const fields = (comment ?? '').trim().split(/\s+/);
  return (
    (fields.length === 1 && fields[0] === 'indirect') || (fields.length > 1 && fields[0] === 'indirect;')
  );
}

function parseReplace(args: string[], line: number): Replacement | string {
  const arrow = args.indexOf('=>');
  const from = args.slice(0, arrow);
  const to = args.slice(arrow + 1);
  if (
    arrow < 0 ||
    args.some((a) => PUNCTUATION.has(a)) ||
    from.length < 1 ||
    from.length > 2 ||
    to.length < 1 ||
    to.length > 2
  ) {
    return `replace needs "module [version] => replacement [version]": ${args.join(' ')}`;
  }
  const [fromPath, fromVersion] = from as [string, string?];
  const [toPath, toVersion] = to as [string, string?];
  const local = isDirectoryPath(toPath);
  if (local && toVersion !== undefined)
    return `a local directory replacement cannot have a version: ${toPath}`;
  if (!local && toVersion === undefined) {
    return `replacement module ${toPath} needs a version (or a path starting with ./ or ../)`;
  }
  return { fromPath, fromVersion, toPath, toVersion, line };
}

/**
 * The replacement that applies to a requirement: a version-specific one wins over a module-wide
 * one, as in the go command, and a later one over an earlier. Indexed once, so a file with many
 * requires and replaces costs one look-up each, not a scan of every replace.
 */
function replacementIndex(replacements: readonly Replacement[]) {
  const specific = new Map<string, Replacement>();
  const moduleWide = new Map<string, Replacement>();
  for (const r of replacements) {
    if (r.fromVersion === undefined) moduleWide.set(r.fromPath, r);
    else specific.set(`${r.fromPath}\u0000${r.fromVersion}`, r);
  }
  return (path: string, version: string): Replacement | undefined =>
    specific.get(`${path}\u0000${version}`) ?? moduleWide.get(path);
}

// modfile.IsDirectoryPath: go.mod files move between systems, so Unix and Windows forms both count.
function isDirectoryPath(path: string): boolean {
  return (
    path === '.' ||
    path === '..' ||
    /^\.\.?[/\\]/.test(path) ||
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[A-Z]:/i.test(path)
  );
}

/** Splits a go.mod line into tokens the way modfile's lexer does; `//` starts a comment. */
function tokenize(line: string): TokenizedLine {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (code <= 0x20 && isAsciiSpace(code)) {
      i++;
    } else if (code > 0x7f && /\s/.test(line[i] as string)) {
      i++;
    } else if (line.startsWith('//', i)) {
      return { tokens, comment: line.slice(i + 2) };
    } else if (isDelimiter(code)) {
      tokens.push(line[i] as string);
      i++;
    } else if (code === 0x22) {
      const end = closingQuote(line, i);
      if (end < 0) return { tokens, error: `unterminated quoted string: ${line.slice(i)}` };
      try {
        tokens.push(JSON.parse(line.slice(i, end + 1)) as string);
      } catch {
        return { tokens, error: `invalid quoted string: ${line.slice(i, end + 1)}` };
      }
      i = end + 1;
    } else if (code === 0x60) {
      const end = line.indexOf('`', i + 1);
      if (end < 0) return { tokens, error: `unterminated quoted string: ${line.slice(i)}` };
      tokens.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && !endsWord(line, end)) end++;
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return { tokens };
}

/** Whether a bare word ends at `i`: whitespace, a delimiter or `//`. By char code, as per character. */
function endsWord(line: string, i: number): boolean {
  const code = line.charCodeAt(i);
  if (isDelimiter(code)) return true;
  if (code === 0x2f) return line.charCodeAt(i + 1) === 0x2f;
  if (code <= 0x20) return isAsciiSpace(code);
  return code > 0x7f && /\s/.test(line[i] as string);
}

function closingQuote(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i;
  }
  return -1;
}
