import { normalizePackageName } from '../../../ecosystem/package-name';
import { markedUnique } from '../../dedupe-dependencies';
import type {
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
} from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';

type SectionKind = 'GEM' | 'GIT' | 'PATH' | 'PLUGIN SOURCE' | 'DEPENDENCIES' | 'OTHER';

interface Section {
  readonly kind: SectionKind;
  remote?: string;
  inSpecs: boolean;
}

const SECTIONS = new Set<string>(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE', 'DEPENDENCIES']);
// Bundler refuses a lock with these; we read both sides so neither side's gems go unchecked.
const CONFLICT_MARKER = /^(?:<{7}|={7}|>{7}|\|{7})/;
// Bundler's lock line: `name (version[-platform])`; versions never contain `-`, platforms follow it.
const SPEC = /^([^\s(!]+)(?: \(([^-)]*)(?:-[^)]*)?\))?$/;
const DEPENDENCY = /^([^\s(!]+)(?: \([^)]*\))?!?$/;

/**
 * `Gemfile.lock` (Bundler 1 and 2): the gems of each `GEM` source's `specs:`, marked direct when
 * the `DEPENDENCIES` section names them. Gems from `GIT` and `PATH` sources have no registry
 * version, so they are reported instead of emitted.
 */
export const gemfileLockParser: ManifestParser = {
  id: 'gemfile-lock',
  ecosystem: 'RubyGems',
  parse(path, text) {
    return parseGemfileLock(path, text, true);
  },
};

/**
 * The parse; `plainLines` false reads every line the general way, which the property spec holds
 * the plain-line scan to.
 */
export function parseGemfileLock(path: string, text: string, plainLines: boolean): ManifestParseResult {
  if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
  const run = new GemfileLockRun(path);
  const source = normalizeText(text);
  // Lines by index rather than `split`: a plain line is read in place, with no string of its own.
  for (let start = 0, line = 1; ; line++) {
    const newline = source.indexOf('\n', start);
    const end = newline < 0 ? source.length : newline;
    if (!(plainLines && run.readPlainLine(source, start, end, line)))
      run.readLine(source.slice(start, end), line);
    if (newline < 0) break;
    start = newline + 1;
  }
  return run.finish(path);
}

class GemfileLockRun {
  private readonly diagnostics: ManifestDiagnostic[] = [];
  // Each GEM gem as its dependency, indirect until DEPENDENCIES (which follows the specs) names it.
  private readonly gems: ParsedDependency[] = [];
  /** Per gem name, its first version; per name locked at several versions, every other one. */
  private readonly firstVersion = new Map<string, string>();
  private readonly otherVersions = new Map<string, Set<string>>();
  private readonly unresolvable = new Set<string>();
  private readonly direct = new Set<string>();
  private section: Section | undefined;
  private sawSource = false;
  private sawDependencies = false;

  constructor(private readonly manifestPath: string) {}

  /**
   * Reads the lines a lock is made of, by char codes: a spec `    name (version[-platform])`, a
   * gem's requirement `      name ...` under it, and `  name[ (requirement)][!]` in DEPENDENCIES;
   * false for any other line, and for these unless their characters are plain ASCII.
   */
  readPlainLine(source: string, start: number, end: number, line: number): boolean {
    const section = this.section;
    if (!section || section.kind === 'OTHER' || source.charCodeAt(start) !== SPACE) return false;
    if (section.kind === 'DEPENDENCIES') {
      const nameEnd = plainDependencyNameEnd(source, start, end);
      if (nameEnd < 0) return false;
      this.direct.add(source.slice(start + 2, nameEnd));
      return true;
    }
    if (!section.inSpecs) return false;
    const depth = spaces(source, start, end);
    // Six spaces: what a gem itself requires; those gems have their own four-space entries.
    if (depth === 6) return isPlainCharacter(source.charCodeAt(start + 6));
    if (depth !== 4 || section.kind !== 'GEM') return false;
    const nameStart = start + 4;
    const nameEnd = plainWordEnd(source, nameStart, end);
    if (nameEnd === nameStart || source.charCodeAt(nameEnd) !== SPACE) return false;
    if (source.charCodeAt(nameEnd + 1) !== OPEN) return false;
    const versionStart = nameEnd + 2;
    let i = versionStart;
    for (let code = source.charCodeAt(i); i < end && isVersionCharacter(code); code = source.charCodeAt(++i));
    // Bundler writes no empty version; a `-` starts the platform.
    if (i === versionStart) return false;
    const versionEnd = i;
    if (source.charCodeAt(i) === DASH) i = plainWordEnd(source, i + 1, end);
    if (source.charCodeAt(i) !== CLOSE || i + 1 !== end) return false;
    this.addGem(source.slice(nameStart, nameEnd), source.slice(versionStart, versionEnd), line);
    return true;
  }

  /** Any line, the general way. */
  readLine(raw: string, line: number): void {
    const content = raw.trimEnd();
    if (content.trim() === '') return;
    if (CONFLICT_MARKER.test(content)) {
      this.diagnostics.push({
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: 'unresolved merge conflict marker; gems on both sides were read',
        line,
      });
      return;
    }
    if (!/^\s/.test(content)) {
      const kind = (SECTIONS.has(content) ? content : 'OTHER') as SectionKind;
      this.section = { kind, inSpecs: false };
      if (kind === 'GEM' || kind === 'GIT' || kind === 'PATH') this.sawSource = true;
      if (kind === 'DEPENDENCIES') this.sawDependencies = true;
      return;
    }
    const indentation = /^\s*/.exec(content)?.[0] ?? '';
    if (indentation.includes('\t'))
      return this.invalid(line, `tab in indentation; Bundler indents with spaces: ${content.trim()}`);
    const section = this.section;
    if (!section || section.kind === 'OTHER') return;
    const body = content.slice(indentation.length);
    const depth = indentation.length;

    if (section.kind === 'DEPENDENCIES') {
      if (depth !== 2) return this.invalid(line, `unexpected indentation in DEPENDENCIES: ${body}`);
      const match = DEPENDENCY.exec(body);
      if (!match) return this.invalid(line, `cannot read dependency "${body}"`);
      this.direct.add(match[1] as string);
      return;
    }

    if (depth === 2) {
      if (body === 'specs:') section.inSpecs = true;
      else if (body.startsWith('remote:')) section.remote = body.slice('remote:'.length).trim();
      return;
    }
    if (depth === 6 && section.inSpecs) return;
    if (depth !== 4 || !section.inSpecs)
      return this.invalid(line, `unexpected indentation in ${section.kind}: ${body}`);
    if (section.kind === 'PLUGIN SOURCE') return;

    const match = SPEC.exec(body);
    const name = match?.[1];
    const version = match?.[2];
    if (!name || !version) return this.invalid(line, `cannot read gem "${body}"; expected "name (version)"`);
    if (section.kind !== 'GEM') {
      if (this.unresolvable.has(name)) return;
      this.unresolvable.add(name);
      const from =
        section.kind === 'GIT'
          ? `git (${section.remote ?? 'unknown remote'})`
          : `the local path ${section.remote ?? '?'}`;
      this.diagnostics.push({
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message: `${name} ${version} comes from ${from}; it has no registry version to check`,
        line,
      });
      return;
    }
    this.addGem(name, version, line);
  }

  finish(path: string): ManifestParseResult {
    const { diagnostics, gems, direct } = this;
    // Bundler always writes a source section and then DEPENDENCIES, so a lock without them was
    // cut short: gems past the cut were never read.
    if (!this.sawSource) {
      diagnostics.push({
        severity: 'error',
        code: 'MISSING_FIELD',
        message: `${path} has no GEM, GIT or PATH section`,
      });
    } else if (!this.sawDependencies) {
      diagnostics.push({
        severity: 'error',
        code: 'MISSING_FIELD',
        message: `${path} has no DEPENDENCIES section (truncated?); every gem is reported as indirect`,
      });
    }
    if (direct.size > 0) {
      for (let i = 0; i < gems.length; i++) {
        const gem = gems[i] as ParsedDependency;
        if (direct.has(gem.name)) gems[i] = { ...gem, direct: true };
      }
    }
    // One entry per name and version, and names keep their spelling: no two share an identity.
    return { dependencies: markedUnique(gems), diagnostics };
  }

  // One gem often has an entry per platform (nokogiri for linux and darwin): same version.
  private addGem(name: string, version: string, line: number): void {
    const first = this.firstVersion.get(name);
    if (first === undefined) this.firstVersion.set(name, version);
    else {
      if (first === version) return;
      let others = this.otherVersions.get(name);
      if (!others) this.otherVersions.set(name, (others = new Set()));
      if (others.has(version)) return;
      others.add(version);
    }
    this.gems.push({
      ecosystem: 'RubyGems',
      name: normalizePackageName('RubyGems', name),
      version,
      scope: 'runtime',
      direct: false,
      manifestPath: this.manifestPath,
      line,
    });
  }

  private invalid(line: number, message: string): void {
    this.diagnostics.push({ severity: 'warning', code: 'INVALID_SYNTAX', message, line });
  }
}

const SPACE = 0x20;
const OPEN = 0x28;
const CLOSE = 0x29;
const DASH = 0x2d;

/** Printable ASCII but space and the characters a lock line gives meaning: `(`, `)`, `!`. */
function isPlainCharacter(code: number): boolean {
  return code > SPACE && code < 0x7f && code !== OPEN && code !== CLOSE && code !== 0x21;
}

/** What Bundler versions are made of: letters, digits and dots (a `-` starts the platform). */
function isVersionCharacter(code: number): boolean {
  return (
    code === 0x2e ||
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a)
  );
}

function plainWordEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isPlainCharacter(text.charCodeAt(i))) i++;
  return i;
}

/** How many spaces the line starts with. */
function spaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i - from;
}

/**
 * The end of the name of a plain DEPENDENCIES line `  name`, `  name!`, `  name (requirement)` or
 * `  name (requirement)!`, the requirement of plain characters and spaces; else -1.
 */
function plainDependencyNameEnd(text: string, start: number, end: number): number {
  if (text.charCodeAt(start + 1) !== SPACE) return -1;
  const nameEnd = plainWordEnd(text, start + 2, end);
  if (nameEnd === start + 2) return -1;
  let i = nameEnd;
  if (text.charCodeAt(i) === SPACE) {
    if (text.charCodeAt(i + 1) !== OPEN) return -1;
    i += 2;
    for (
      let code = text.charCodeAt(i);
      i < end && (isPlainCharacter(code) || code === SPACE);
      code = text.charCodeAt(++i)
    );
    if (text.charCodeAt(i) !== CLOSE) return -1;
    i++;
  }
  if (i < end && text.charCodeAt(i) === 0x21) i++;
  return i === end ? nameEnd : -1;
}
