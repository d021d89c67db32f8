import { normalizePackageName } from '../../../ecosystem/package-name';
import type { ManifestDiagnostic, ManifestParser, ParsedDependency } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, splitLines } from '../../manifest-text';

interface Requirement {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
  readonly line: number;
}

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
// golang.org/x/mod/semver with the canonical three numbers go.mod requires.
const GO_VERSION =
  /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * `go.mod`: every `require` (Go 1.17+ lists the whole build list, `// indirect` marking what the
 * module does not import itself), with `replace` directives applied the way the go command does.
 */
export const goModParser: ManifestParser = {
  id: 'go-mod',
  ecosystem: 'Go',
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const diagnostics: ManifestDiagnostic[] = [];
    const requirements: Requirement[] = [];
    const replacements: Replacement[] = [];
    const invalid = (line: number, message: string): void => {
      diagnostics.push({ severity: 'warning', code: 'INVALID_SYNTAX', message, line });
    };
    let hasModule = false;
    let block: { verb: string; line: number } | undefined;

    const handle = (verb: string, args: string[], comment: string | undefined, line: number) => {
      if (verb === 'module') hasModule = true;
      if (SKIPPED.has(verb)) return;
      if (verb === 'require') {
        if (args.length !== 2 || args.some((a) => PUNCTUATION.has(a))) {
          return invalid(line, `require needs a module path and a version: ${args.join(' ')}`);
        }
        const [modulePath, version] = args as [string, string];
        requirements.push({ path: modulePath, version, indirect: isIndirect(comment), line });
        return;
      }
      if (verb === 'replace') {
        const replacement = parseReplace(args, line);
        if (typeof replacement === 'string') return invalid(line, replacement);
        replacements.push(replacement);
        return;
      }
      invalid(line, `unknown directive "${verb}"`);
    };

    splitLines(text).forEach((raw, index) => {
      const line = index + 1;
      const { tokens, comment, error } = tokenize(raw);
      if (error) return invalid(line, error);
      if (tokens.length === 0) return;
      if (block) {
        if (tokens.length === 1 && tokens[0] === ')') {
          block = undefined;
          return;
        }
        if (!KEYWORDS.has(tokens[0] as string)) return handle(block.verb, tokens, comment, line);
        // A directive inside a block means its `)` was lost; read on as if it had been there.
        invalid(line, `the ${block.verb} block opened on line ${block.line} is not closed before this line`);
        block = undefined;
      }
      // slice, not `[verb, ...args]`: the iterator protocol costs far more on a line of many tokens.
      const verb = tokens[0] as string;
      const args = tokens.slice(1);
      if (args[0] === '(') {
        if (!BLOCK_DIRECTIVES.has(verb) && !SKIPPED.has(verb))
          return invalid(line, `unknown directive "${verb}"`);
        if (args.length === 1) block = { verb, line };
        else if (args.length !== 2 || args[1] !== ')') invalid(line, `unexpected text after "${verb} ("`);
        return;
      }
      handle(verb, args, comment, line);
    });

    if (block) {
      diagnostics.push({
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: `the ${block.verb} block opened on line ${block.line} is never closed (truncated file?)`,
        line: block.line,
      });
    }
    if (!hasModule) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no module directive`,
      });
    }

    const dependencies: ParsedDependency[] = [];
    const replacementOf = replacementIndex(replacements);
    const seen = new Map<string, Requirement>();
    for (const requirement of requirements) {
      const earlier = seen.get(requirement.path);
      if (earlier && earlier.version !== requirement.version) {
        diagnostics.push({
          severity: 'info',
          code: 'DUPLICATE',
          message: `${requirement.path} is required at ${earlier.version} (line ${earlier.line}) and ${requirement.version}; Go builds with the higher one`,
          line: requirement.line,
        });
      }
      seen.set(requirement.path, requirement);

      const replacement = replacementOf(requirement);
      if (replacement && replacement.toVersion === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${requirement.path} ${requirement.version} is replaced by the local directory ${replacement.toPath}; it has no registry version to check`,
          line: replacement.line,
        });
        continue;
      }
      const modulePath = replacement?.toPath ?? requirement.path;
      const version = replacement?.toVersion ?? requirement.version;
      const pinned = GO_VERSION.test(version);
      if (!pinned) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNPINNED',
          message: `${modulePath} ${version} is not a semantic version (the go command would resolve it to one)`,
          line: requirement.line,
        });
      }
      dependencies.push({
        ecosystem: 'Go',
        name: normalizePackageName('Go', modulePath),
        version: pinned ? version : null,
        ...(pinned ? {} : { specifier: version }),
        scope: 'runtime',
        direct: !requirement.indirect,
        manifestPath: path,
        line: requirement.line,
      });
    }
    return { dependencies, diagnostics };
  },
};

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
  return (requirement: Requirement): Replacement | undefined =>
    specific.get(`${requirement.path}\u0000${requirement.version}`) ?? moduleWide.get(requirement.path);
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

/** The ASCII characters `\s` matches: tab, line feed, vertical tab, form feed, carriage return, space. */
function isAsciiSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** `(`, `)`, `[`, `]`, `,`, `{`, `}`: a token of their own. */
function isDelimiter(code: number): boolean {
  return (
    code === 0x28 ||
    code === 0x29 ||
    code === 0x5b ||
    code === 0x5d ||
    code === 0x2c ||
    code === 0x7b ||
    code === 0x7d
  );
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
