import { eq, satisfies } from '@renovatebot/pep440';
import { normalizePackageName } from '../../../ecosystem/package-name';
import { StringIndex } from '../../../shared/string-index';
import { markedUnique } from '../../dedupe-dependencies';
import { lineTooLong, MAX_LINE_LENGTH } from '../../line-limits';
import { looksBinary, binaryDiagnostic, normalizeText } from '../../manifest-text';
import type {
  DependencyScope,
  DiagnosticSeverity,
  IncludeRefused,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParseOptions,
  ParsedDependency,
} from '../../manifest.types';
import { EnvVarExpander } from './env-var-expander';
import { includeOutsideTree, resolveIncludePath } from './include-path';
import {
  isPep440Version,
  parsePep508,
  type Pep508Requirement,
  type VersionClause,
} from './pep508-requirement';
import { redactUrl } from './redact-url';
import { scanSimpleRequirement, SimpleRequirementLine, simpleSpecifier } from './simple-requirement-line';

/**
 * pip requirements files (`requirements*.txt`, pip-tools `*.in`), following pip's own reading:
 * `\` continuations joined first, then comments (`#` at line start or after whitespace) removed,
 * then `${VAR}` expanded, then the line split into a requirement and its options.
 *
 * Includes: `-r` files are parsed as part of this manifest (each dependency keeps its own
 * manifestPath and line). A diagnostic found inside an include carries the line of the top-level
 * `-r`/`-c` that led to it, with `file:line:` of the real place at the start of its message, so
 * every `line` refers to the file being parsed. An include written as an absolute path or climbing
 * out of the tree the paths are relative to is never handed to `readInclude` (INCLUDE_OUTSIDE_ROOT);
 * the reader may refuse others it will not read (outside the scanned roots).
 *
 * Constraints (`-c`): their requirements are never emitted. A constraint pinned with `==`/`===`
 * gives its version to an unpinned requirement of the same package (wherever it appears); ranges
 * in constraints files are not applied.
 */
export const requirementsTxtParser: ManifestParser = {
  id: 'requirements-txt',
  ecosystem: 'PyPI',
  parse(path: string, text: string, options: ParseOptions = {}): ManifestParseResult {
    return parseRequirementsTxt(path, text, options, true);
  },
};

/**
 * The parser, with `simpleLines` false to read every line the general way: tests compare both, as
 * the scan of simple lines must give exactly what the general path gives.
 */
export function parseRequirementsTxt(
  path: string,
  text: string,
  options: ParseOptions,
  simpleLines: boolean,
): ManifestParseResult {
  if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
  const run = new RequirementsRun(options, simpleLines);
  run.parseFile({ path, mode: 'requirements', scope: scopeForFile(path), depth: 0 }, text);
  return run.finish();
}

type FileMode = 'requirements' | 'constraints';

interface FileContext {
  readonly path: string;
  readonly mode: FileMode;
  readonly scope: DependencyScope;
  readonly depth: number;
  /** Line in the top-level file of the `-r`/`-c` this file was reached through. */
  readonly anchor?: number;
}

interface Constraint {
  readonly version: string;
  readonly context: FileContext;
  readonly line: number;
}

// Includes are cut off beyond this depth in case a reader serves ever-new paths.
const MAX_INCLUDE_DEPTH = 16;

type OptionKind = 'requirement' | 'constraint' | 'editable' | 'global' | 'per-requirement';

interface OptionSpec {
  readonly kind: OptionKind;
  readonly takesValue: boolean;
}

// pip's SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ (plus the removed --install-option).
const LONG_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  '--requirement': { kind: 'requirement', takesValue: true },
  '--constraint': { kind: 'constraint', takesValue: true },
  '--editable': { kind: 'editable', takesValue: true },
  '--index-url': { kind: 'global', takesValue: true },
  '--extra-index-url': { kind: 'global', takesValue: true },
  '--no-index': { kind: 'global', takesValue: false },
  '--find-links': { kind: 'global', takesValue: true },
  '--no-binary': { kind: 'global', takesValue: true },
  '--only-binary': { kind: 'global', takesValue: true },
  '--prefer-binary': { kind: 'global', takesValue: false },
  '--require-hashes': { kind: 'global', takesValue: false },
  '--pre': { kind: 'global', takesValue: false },
  '--trusted-host': { kind: 'global', takesValue: true },
  '--use-feature': { kind: 'global', takesValue: true },
  '--hash': { kind: 'per-requirement', takesValue: true },
  '--global-option': { kind: 'per-requirement', takesValue: true },
  '--config-settings': { kind: 'per-requirement', takesValue: true },
  '--install-option': { kind: 'per-requirement', takesValue: true },
};

const SHORT_OPTIONS: Readonly<Record<string, string>> = {
  r: '--requirement',
  c: '--constraint',
  e: '--editable',
  i: '--index-url',
  f: '--find-links',
};

interface ParsedOption {
  readonly name: string;
  readonly kind: OptionKind;
  readonly value?: string;
}

const NO_OPTIONS: readonly ParsedOption[] = Object.freeze([]);

const DEV_FILE_NAME = /(?:^|[-_.])(?:dev|develop|development|test|tests|testing)(?:[-_.\d]|$)/i;
const URL_SCHEME = /^[A-Z][A-Z0-9+.-]*:\/\//i;
const VCS_SCHEME = /^(?:git|hg|svn|bzr)[+:]/i;
const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;
const STRONG_HASH = /^(?:sha256|sha384|sha512):[0-9a-f]+$/i;

/** `requirements-dev.txt`, `dev-requirements.txt`, `requirements_test_py3.txt`, `requirements/dev.txt`. */
export function scopeForFile(path: string): DependencyScope {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.(?:txt|in)$/i, '');
  return DEV_FILE_NAME.test(base) ? 'dev' : 'runtime';
}

/** Names written otherwise than their normal form kept per file; more would only hold memory. */
const MAX_NORMAL_NAMES = 4096;

/** Repeats listed one by one; past this, one line counts the rest (a file of 200,000 repeats stays cheap). */
const LISTED_DUPLICATES = 20;

class RequirementsRun {
  private readonly diagnostics: ManifestDiagnostic[] = [];
  private duplicates = 0;
  // Each requirement as the dependency it gives, built once (a file may list 200,000).
  private readonly dependencies: ParsedDependency[] = [];
  /**
   * The file each requirement came from, one entry per run of requirements from one file (where it
   * starts and its file) rather than one per requirement: read only to apply constraints.
   */
  private readonly contextStarts: number[] = [];
  private readonly contexts: FileContext[] = [];
  /** By requirement index: its UNPINNED diagnostic, withdrawn when a constraint pins the package. */
  private readonly unpinned = new Map<number, ManifestDiagnostic>();
  /** Per package: the index of its first requirement. */
  private readonly byName = new StringIndex();
  /** Per package required more than one way: the first requirement with each other pin or specifier. */
  private readonly othersByName = new Map<string, StringIndex>();
  /** False once two dependencies may share an identity, which `parseManifest` then merges. */
  private unique = true;
  private readonly constraints = new Map<string, Constraint>();
  private readonly active = new Set<string>();
  private readonly done = new Set<string>();

  private readonly envVars: EnvVarExpander;
  private readonly simple = new SimpleRequirementLine();
  /** Normal names of names written otherwise (`Django`, `zope.interface`), as files repeat them. */
  private readonly normalNames = new Map<string, string>();

  constructor(
    private readonly options: ParseOptions,
    private readonly simpleLines: boolean,
  ) {
    this.envVars = new EnvVarExpander(options.env);
  }

  parseFile(context: FileContext, text: string): void {
    this.active.add(context.path);
    this.done.add(`${context.mode}:${context.path}`);
    forEachLogicalLine(text, (line, logical) => {
      if (typeof logical === 'string') this.parseLine(context, line, logical);
      else this.tooLong(context, line, logical);
    });
    this.active.delete(context.path);
  }

  finish(): ManifestParseResult {
    const withdrawn = new Set<ManifestDiagnostic>();
    if (this.constraints.size > 0) {
      this.dependencies.forEach((dependency, index) => {
        const constraint = this.constraints.get(dependency.name);
        if (constraint) this.applyConstraint(index, constraint, withdrawn);
      });
    }
    const { dependencies } = this;
    // Kept apart when every requirement after the first of its package has another pin or
    // specifier, and no constraint pinned one (which could make two the same).
    if (this.unique) markedUnique(dependencies);
    const diagnostics =
      withdrawn.size === 0 ? this.diagnostics : this.diagnostics.filter((d) => !withdrawn.has(d));
    if (this.duplicates > LISTED_DUPLICATES) {
      diagnostics.push({
        severity: 'warning',
        code: 'DUPLICATE',
        message: `${this.duplicates - LISTED_DUPLICATES} more repeated requirements were not listed`,
      });
    }
    return { dependencies, diagnostics };
  }

  private applyConstraint(index: number, constraint: Constraint, withdrawn: Set<ManifestDiagnostic>) {
    const requirement = this.dependencies[index] as ParsedDependency;
    const context = this.contextOf(index);
    // Every dependency of this run has its line.
    const line = requirement.line as number;
    const where = `${constraint.context.path}:${constraint.line}`;
    if (requirement.version === null) {
      const specifier = requirement.specifier ?? '';
      if (specifier === '' || allows(specifier, constraint.version)) {
        this.dependencies[index] = dependencyAt(context, line, requirement.name, constraint.version);
        this.unique = false;
        const unpinned = this.unpinned.get(index);
        if (unpinned) withdrawn.add(unpinned);
        return;
      }
      this.report(
        context,
        line,
        'warning',
        'CONSTRAINT_CONFLICT',
        `${requirement.name}${specifier} does not allow ${constraint.version} pinned by the constraint at ${where}`,
      );
    } else if (!sameVersion(requirement.version, constraint.version)) {
      this.report(
        context,
        line,
        'warning',
        'CONSTRAINT_CONFLICT',
        `${requirement.name}==${requirement.version} differs from ${constraint.version} pinned by the constraint at ${where}`,
      );
    }
  }

  /** The file of the requirement at `index`: the last run starting at or before it. */
  private contextOf(index: number): FileContext {
    const starts = this.contextStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= index) low = middle;
      else high = middle - 1;
    }
    return this.contexts[low] as FileContext;
  }

  /** Counts a repeat; true while repeats are still listed one by one. */
  private listDuplicate(): boolean {
    this.duplicates++;
    return this.duplicates <= LISTED_DUPLICATES;
  }

  private report(
    context: FileContext,
    line: number,
    severity: DiagnosticSeverity,
    code: string,
    message: string,
  ): ManifestDiagnostic {
    const diagnostic: ManifestDiagnostic =
      context.anchor === undefined
        ? { severity, code, message, line }
        : { severity, code, message: `${context.path}:${line}: ${message}`, line: context.anchor };
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  private parseLine(context: FileContext, line: number, rawText: string): void {
    if (this.simpleLines && scanSimpleRequirement(rawText, this.simple)) {
      this.addSimpleRequirement(context, line, rawText);
      return;
    }
    // Unknown variables as written, `${NAME}`, each once. Made only for a line that has any, as
    // most have none.
    const unknownVars: string[] | undefined = rawText.includes('${') ? [] : undefined;
    const text = unknownVars ? this.envVars.expand(rawText, unknownVars) : rawText;
    let leftOut = false;
    // With an unset variable the line as written is usually invalid; say why once, not twice.
    const invalid = (message: string) => {
      if (unknownVars && unknownVars.length > 0) leftOut = true;
      else this.report(context, line, 'warning', 'INVALID_SYNTAX', message);
    };

    const optionStart = firstOption(text);
    const args = (optionStart < 0 ? text : text.slice(0, optionStart)).trim();
    const optionText = optionStart < 0 ? '' : text.slice(optionStart).trim();
    const options = this.parseOptions(optionText, invalid);

    if (args === '') {
      for (const option of options) this.applyLineOption(context, line, option, invalid);
    } else {
      this.parseRequirement(context, line, args, invalid);
      for (const option of options) {
        if (option.kind === 'per-requirement') {
          if (option.name === '--hash' && !STRONG_HASH.test(option.value ?? '')) {
            invalid(`--hash needs sha256:, sha384: or sha512: and a hex digest, not "${option.value}"`);
          }
        } else {
          this.report(
            context,
            line,
            'info',
            'OPTION_IGNORED',
            `${option.name} on a requirement line is ignored`,
          );
        }
      }
    }

    if (unknownVars && unknownVars.length > 0) {
      const consequence = leftOut ? 'the line was left out' : 'it was kept as written';
      this.report(context, line, 'warning', 'UNKNOWN_ENV_VAR', `${unsetList(unknownVars)}; ${consequence}`);
    }
  }

  private parseOptions(optionText: string, invalid: (message: string) => void): readonly ParsedOption[] {
    if (optionText === '') return NO_OPTIONS;
    const tokens = shellSplit(optionText);
    if (!tokens) {
      invalid(`unclosed quote in "${optionText}"`);
      return [];
    }
    const parsed: ParsedOption[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      let name: string;
      let value: string | undefined;
      if (token.startsWith('--')) {
        const equals = token.indexOf('=');
        name = equals < 0 ? token : token.slice(0, equals);
        if (equals >= 0) value = token.slice(equals + 1);
      } else if (token.startsWith('-') && token.length > 1) {
        const long = SHORT_OPTIONS[token[1]];
        if (!long) {
          invalid(`unknown option ${token}`);
          continue;
        }
        name = long;
        if (token.length > 2) value = token.slice(2).replace(/^=/, '');
      } else {
        invalid(`unexpected "${token}" among options`);
        continue;
      }
      const spec = LONG_OPTIONS[name];
      if (!spec) {
        invalid(`unknown option ${name}`);
        continue;
      }
      if (spec.takesValue && value === undefined) {
        value = tokens[i + 1];
        i++;
        if (value === undefined) {
          invalid(`${name} needs a value`);
          continue;
        }
      } else if (!spec.takesValue && value !== undefined) {
        invalid(`${name} takes no value`);
        continue;
      }
      parsed.push({ name, kind: spec.kind, ...(value === undefined ? {} : { value }) });
    }
    return parsed;
  }

  private applyLineOption(
    context: FileContext,
    line: number,
    option: ParsedOption,
    invalid: (message: string) => void,
  ): void {
    switch (option.kind) {
      case 'requirement':
      case 'constraint':
        this.include(
          context,
          line,
          option.value ?? '',
          option.kind === 'requirement' ? 'requirements' : 'constraints',
        );
        return;
      case 'editable':
        if (context.mode === 'requirements') {
          this.unresolvable(context, line, `-e ${redactUrl(option.value ?? '')}`, 'editable install');
        }
        return;
      case 'global':
        this.report(
          context,
          line,
          'info',
          'OPTION_IGNORED',
          `${option.name} is ignored; only requirements are read`,
        );
        return;
      case 'per-requirement':
        invalid(`${option.name} must follow a requirement on the same (continued) line`);
        return;
    }
  }

  private include(context: FileContext, line: number, target: string, mode: FileMode): void {
    const directive = mode === 'requirements' ? '-r' : '-c';
    if (URL_SCHEME.test(target)) {
      this.report(
        context,
        line,
        'warning',
        'INCLUDE_NOT_FOUND',
        `${directive} ${redactUrl(target)}: remote files are not fetched`,
      );
      return;
    }
    // Never handed to the reader: the refusal names the include as written, nothing read.
    const outside = includeOutsideTree(context.path, target);
    if (outside !== null) {
      this.refuse(context, line, `${directive} ${target}`, outside);
      return;
    }
    const path = resolveIncludePath(context.path, target);
    if (this.active.has(path)) {
      this.report(
        context,
        line,
        'warning',
        'INCLUDE_CYCLE',
        `${directive} ${target}: ${path} is already being read`,
      );
      return;
    }
    // The same file reached twice (diamond includes) adds nothing the second time.
    if (this.done.has(`${mode}:${path}`)) return;
    if (context.depth + 1 > MAX_INCLUDE_DEPTH) {
      this.report(
        context,
        line,
        'warning',
        'INCLUDE_TOO_DEEP',
        `${directive} ${target}: includes nest deeper than ${MAX_INCLUDE_DEPTH} files`,
      );
      return;
    }
    let text: string | undefined | IncludeRefused;
    try {
      text = this.options.readInclude?.(path);
    } catch {
      text = undefined;
    }
    if (typeof text === 'object') {
      this.refuse(context, line, `${directive} ${target}`, text.refused);
      return;
    }
    if (text === undefined) {
      this.report(
        context,
        line,
        'warning',
        'INCLUDE_NOT_FOUND',
        `${directive} ${target}: ${path} was not found`,
      );
      return;
    }
    if (looksBinary(text)) {
      this.report(context, line, 'warning', 'NOT_TEXT', `${directive} ${target}: ${path} is not a text file`);
      return;
    }
    this.parseFile(
      { path, mode, scope: scopeForFile(path), depth: context.depth + 1, anchor: context.anchor ?? line },
      text,
    );
  }

  private tooLong(context: FileContext, line: number, length: number): void {
    const { severity, code, message } = lineTooLong(line, length);
    this.report(context, line, severity, code, message);
  }

  private refuse(context: FileContext, line: number, include: string, why: string): void {
    this.report(context, line, 'error', 'INCLUDE_OUTSIDE_ROOT', `${include} was not read: ${why}`);
  }

  private unresolvable(context: FileContext, line: number, subject: string, reason: string): void {
    this.report(
      context,
      line,
      'warning',
      'UNRESOLVABLE',
      `${subject} is not scanned: ${reason}, no registry version to match`,
    );
  }

  private parseRequirement(
    context: FileContext,
    line: number,
    args: string,
    invalid: (message: string) => void,
  ): void {
    const constraintsOnly = context.mode === 'constraints';
    // Both need a `:`, which a plain `name==version` has not.
    if (args.includes(':') && (URL_SCHEME.test(args) || /^file:/i.test(args))) {
      const url = args.split(/;\s/)[0].trim();
      const egg = eggName(url);
      const subject = egg ? `${normalizePackageName('PyPI', egg)} (${redactUrl(url)})` : redactUrl(url);
      if (!constraintsOnly) {
        this.unresolvable(context, line, subject, VCS_SCHEME.test(url) ? 'VCS URL' : 'direct URL');
      }
      return;
    }
    const semicolon = args.indexOf(';');
    const beforeMarker = (semicolon < 0 ? args : args.slice(0, semicolon)).trim();
    const at = beforeMarker.indexOf('@');
    const isNamedUrl = at > 0 && !looksLikePath(beforeMarker.slice(0, at).trim());
    if (!isNamedUrl && (looksLikePath(beforeMarker) || ARCHIVE.test(withoutTrailingExtras(beforeMarker)))) {
      if (!constraintsOnly) this.unresolvable(context, line, beforeMarker, 'local path');
      return;
    }

    const parsed = parsePep508(args);
    if (!parsed.ok) {
      invalid(parsed.error);
      return;
    }
    const requirement = parsed.requirement;
    const name = this.normalName(requirement.name);
    if (requirement.kind === 'url') {
      if (!constraintsOnly) {
        this.unresolvable(context, line, `${name} @ ${redactUrl(requirement.url)}`, 'direct URL reference');
      }
      return;
    }
    const pin = exactPin(requirement);
    if (constraintsOnly) {
      if (pin !== null) this.addConstraint(context, line, name, pin);
      return;
    }
    const specifier =
      pin === null ? requirement.clauses.map((c) => `${c.operator}${c.version}`).join(',') : undefined;
    this.addRequirement(context, line, name, pin, specifier, requirement.marker);
  }

  /** A line `scanSimpleRequirement` took, as `parseRequirement` would read it. */
  private addSimpleRequirement(context: FileContext, line: number, text: string): void {
    const { simple } = this;
    const written = text.slice(0, simple.nameEnd);
    const name = simple.normalName ? written : this.normalName(written);
    const pin = simple.pinStart < 0 ? null : text.slice(simple.pinStart, simple.pinEnd);
    if (context.mode === 'constraints') {
      if (pin !== null) this.addConstraint(context, line, name, pin);
      return;
    }
    this.addRequirement(context, line, name, pin, pin === null ? simpleSpecifier(text, simple) : undefined);
  }

  /** Bounded: past the limit a name is normalised again each time it comes. */
  private normalName(written: string): string {
    const known = this.normalNames.get(written);
    if (known !== undefined) return known;
    const name = normalizePackageName('PyPI', written);
    if (this.normalNames.size < MAX_NORMAL_NAMES) this.normalNames.set(written, name);
    return name;
  }

  private addConstraint(context: FileContext, line: number, name: string, version: string): void {
    const existing = this.constraints.get(name);
    if (!existing) {
      this.constraints.set(name, { version, context, line });
    } else if (!sameVersion(existing.version, version) && this.listDuplicate()) {
      this.report(
        context,
        line,
        'warning',
        'DUPLICATE',
        `${name} is constrained to ${version} here and to ${existing.version} at ${existing.context.path}:${existing.line}; the first is used`,
      );
    }
  }

  private addRequirement(
    context: FileContext,
    line: number,
    lineName: string,
    pin: string | null,
    specifier: string | undefined,
    marker?: string,
  ): void {
    let name = lineName;
    const index = this.dependencies.length;
    const firstIndex = this.byName.getOrAdd(name, index);
    // Keyed lookups, not a scan of earlier requirements: a file repeating one package stays linear.
    // The keys are made only for a package met before, as most are met once.
    if (firstIndex !== undefined) {
      const first = this.dependencies[firstIndex] as ParsedDependency;
      // The first's copy of the name, so a package listed 200,000 times keeps one string, not one
      // per line (each would be copied by the collector before it is kept).
      name = first.name;
      const sameAsFirst =
        pin === null ? first.version === null && first.specifier === specifier : first.version === pin;
      let others = this.othersByName.get(name);
      if (!sameAsFirst && !others) this.othersByName.set(name, (others = new StringIndex()));
      // Recorded at `index` when new: it is pushed below.
      const sameIndex = sameAsFirst ? firstIndex : others?.getOrAdd(requirementKey(pin, specifier), index);
      if (sameIndex !== undefined) {
        if ((this.dependencies[sameIndex] as ParsedDependency).scope === context.scope) return;
        // The same requirement in another scope: both are kept and merged by `parseManifest`.
        this.unique = false;
      } else if (this.listDuplicate()) {
        this.report(
          context,
          line,
          'warning',
          'DUPLICATE',
          `${name} is required again with ${pin === null ? `"${specifier}"` : `==${pin}`} (first at ${first.manifestPath}:${first.line})`,
        );
      }
    }
    this.dependencies.push(dependencyAt(context, line, name, pin, specifier));
    if (this.contexts[this.contexts.length - 1] !== context) {
      this.contextStarts.push(index);
      this.contexts.push(context);
    }
    if (marker !== undefined) {
      this.report(
        context,
        line,
        'info',
        'ENVIRONMENT_MARKER',
        `${name} is kept whatever its marker "${marker}" evaluates to`,
      );
    }
    if (pin === null) {
      const unpinned = this.report(
        context,
        line,
        'info',
        'UNPINNED',
        `${name} is not pinned to an exact version (${specifier === '' ? 'any version' : specifier})`,
      );
      this.unpinned.set(index, unpinned);
    }
  }
}

/** The dependency a requirement gives: its pin, else its specifier (`''` for any version). */
function dependencyAt(
  context: FileContext,
  line: number,
  name: string,
  pin: string | null,
  specifier?: string,
): ParsedDependency {
  const { scope, path: manifestPath } = context;
  return pin === null
    ? {
        ecosystem: 'PyPI',
        name,
        version: null,
        specifier: specifier ?? '',
        scope,
        direct: true,
        manifestPath,
        line,
      }
    : { ecosystem: 'PyPI', name, version: pin, scope, direct: true, manifestPath, line };
}

/**
 * Where the options of a line start: its first `-` at the start or after whitespace (pip's
 * `(?:^|\s)-`), or -1. By hand, as that expression is tried at every character of every line.
 */
function firstOption(text: string): number {
  for (let at = text.indexOf('-'); at !== -1; at = text.indexOf('-', at + 1)) {
    if (at === 0 || /\s/.test(text[at - 1] as string)) return at;
  }
  return -1;
}

/**
 * What tells two requirements of one package apart: the pin as it is (no new string per line), or
 * else `~` and the specifier; a pin never starts with `~` (see CLAUSE in pep508-requirement.ts).
 */
function requirementKey(pin: string | null, specifier: string | undefined): string {
  return pin === null ? `~${specifier}` : pin;
}

/** The version of a single `==` (no wildcard) or `===` clause, else null. */
function exactPin(requirement: Extract<Pep508Requirement, { kind: 'specifier' }>): string | null {
  if (requirement.clauses.length !== 1) return null;
  const { operator, version } = requirement.clauses[0] as VersionClause;
  if (operator === '===' || (operator === '==' && !version.endsWith('.*'))) return version;
  return null;
}

// The PEP 440 library throws on versions it cannot parse (`===` allows any string): compare safely.
function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return isPep440Version(a) && isPep440Version(b) && eq(a, b);
  } catch {
    return false;
  }
}

function allows(specifier: string, version: string): boolean {
  try {
    return isPep440Version(version) && satisfies(version, specifier, { prereleases: true });
  } catch {
    return false;
  }
}

/** pip's `[#&]egg=([^&]*)`: the first `egg=` after a `#` or `&`, up to the next `&` or space. */
function eggName(url: string): string | undefined {
  for (let at = url.indexOf('egg='); at >= 0; at = url.indexOf('egg=', at + 1)) {
    if (at === 0 || (url[at - 1] !== '#' && url[at - 1] !== '&')) continue;
    const value = /^[^&\s]+/.exec(url.slice(at + 'egg='.length))?.[0];
    if (value) return value;
  }
  return undefined;
}

/** `pkg.whl[extra]` → `pkg.whl`; by hand, as `\[[^\]]*\]$` rescans from every `[`. */
function withoutTrailingExtras(text: string): string {
  if (!text.endsWith(']')) return text;
  const open = text.indexOf('[', text.lastIndexOf(']', text.length - 2) + 1);
  return open >= 0 && open < text.length - 1 ? text.slice(0, open) : text;
}

function looksLikePath(text: string): boolean {
  return /[\\/]/.test(text) || text.startsWith('.');
}

/**
 * pip's join_lines + ignore_comments: `\` joins the next physical line; numbering keeps the first.
 * Each non-empty logical line is handed over with its number, as it is read (a list of them would
 * outlive the parse of a large file for nothing). A logical line longer than MAX_LINE_LENGTH as
 * written, alone or once joined, comes as its length instead of its text; its pieces are not kept, so memory
 * stays bounded too.
 */
function forEachLogicalLine(text: string, visit: (line: number, logical: string | number) => void): void {
  let pieces: string[] = [];
  let length = 0;
  let start = 0;
  let continued = false;
  // Counted as written, backslashes included: a 300 KB run of `\` that pip would strip to nothing
  // is still hostile, and is reported rather than read.
  const add = (piece: string, written = piece.length) => {
    length += written;
    // Past the limit the line is skipped whole: nothing more is kept.
    if (length <= MAX_LINE_LENGTH) pieces.push(piece);
  };
  const end = () => {
    if (length > MAX_LINE_LENGTH) {
      visit(start, length);
    } else {
      const stripped = withoutComment(pieces.join(''));
      if (stripped !== '') visit(start, stripped);
    }
    pieces = [];
    length = 0;
    continued = false;
  };
  // Line by line rather than `split`: 200,000 lines held at once only burden the collector.
  const source = normalizeText(text);
  for (let from = 0, index = 0; from <= source.length; index++) {
    let to = source.indexOf('\n', from);
    if (to === -1) to = source.length;
    const raw = source.slice(from, to);
    from = to + 1;
    if (!continued) start = index + 1;
    const isComment = raw.includes('#') && /^\s*#/.test(raw);
    if (!continued && !raw.endsWith('\\') && raw.length <= MAX_LINE_LENGTH) {
      // The usual line, alone: no pieces to join.
      const stripped = withoutComment(raw);
      if (stripped !== '') visit(start, stripped);
    } else if (!raw.endsWith('\\') || isComment) {
      // A comment line ends the continuation; the space keeps it a comment once joined.
      add(isComment && continued ? ` ${raw}` : raw);
      end();
    } else {
      // pip strips `\` from both ends of a continued line (`line.strip("\\")`).
      add(trimBackslashes(raw), raw.length);
      continued = true;
    }
  }
  if (continued) end();
}

/**
 * The line up to its comment, trimmed. Cut at the comment rather than replace `#.*$`: `.` stops
 * at U+2028, and a rescan from every ` #` before one would be quadratic.
 */
function withoutComment(line: string): string {
  const comment = line.includes('#') ? /(?:^|\s)#/.exec(line) : null;
  return (comment ? line.slice(0, comment.index) : line).trim();
}

/** `text.strip("\\")` in linear time: a regex `\\+$` rescans a run of `\` from each of its characters. */
function trimBackslashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '\\') start++;
  while (end > start && text[end - 1] === '\\') end--;
  return text.slice(start, end);
}

/** Splits like shlex (whitespace, '…' and "…" quoting); undefined on an unclosed quote. */
function shellSplit(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quote) return undefined;
  if (inToken) tokens.push(current);
  return tokens;
}

// One diagnostic per line names its unset references: a line of thousands of them (hostile or
// generated) would otherwise make thousands of diagnostics, nearly all cut by the cap downstream.
const LISTED_UNSET_REFERENCES = 20;

function unsetList(references: readonly string[]): string {
  if (references.length === 1) return `${references[0]} is not set`;
  const listed = references.slice(0, LISTED_UNSET_REFERENCES);
  const more = references.length - listed.length;
  return more > 0
    ? `${listed.join(', ')} and ${more} more are not set`
    : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)} are not set`;
}
