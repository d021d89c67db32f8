import { normalizePackageName } from '../../../ecosystem/package-name';
import type { ManifestDiagnostic, ManifestParser, ParsedDependency } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, splitLines } from '../../manifest-text';

type SectionKind = 'GEM' | 'GIT' | 'PATH' | 'PLUGIN SOURCE' | 'DEPENDENCIES' | 'OTHER';

interface Section {
  readonly kind: SectionKind;
  remote?: string;
  inSpecs: boolean;
}

interface LockedGem {
  readonly name: string;
  readonly version: string;
  readonly line: number;
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
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const diagnostics: ManifestDiagnostic[] = [];
    const gems: LockedGem[] = [];
    const seen = new Set<string>();
    const unresolvable = new Set<string>();
    const direct = new Set<string>();
    let section: Section | undefined;
    let sawSource = false;
    let sawDependencies = false;
    const invalid = (line: number, message: string): void => {
      diagnostics.push({ severity: 'warning', code: 'INVALID_SYNTAX', message, line });
    };

    splitLines(text).forEach((raw, index) => {
      const line = index + 1;
      const content = raw.trimEnd();
      if (content.trim() === '') return;
      if (CONFLICT_MARKER.test(content)) {
        diagnostics.push({
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: 'unresolved merge conflict marker; gems on both sides were read',
          line,
        });
        return;
      }
      if (!/^\s/.test(content)) {
        const kind = (SECTIONS.has(content) ? content : 'OTHER') as SectionKind;
        section = { kind, inSpecs: false };
        if (kind === 'GEM' || kind === 'GIT' || kind === 'PATH') sawSource = true;
        if (kind === 'DEPENDENCIES') sawDependencies = true;
        return;
      }
      const indentation = /^\s*/.exec(content)?.[0] ?? '';
      if (indentation.includes('\t'))
        return invalid(line, `tab in indentation; Bundler indents with spaces: ${content.trim()}`);
      if (!section || section.kind === 'OTHER') return;
      const body = content.slice(indentation.length);
      const depth = indentation.length;

      if (section.kind === 'DEPENDENCIES') {
        if (depth !== 2) return invalid(line, `unexpected indentation in DEPENDENCIES: ${body}`);
        const match = DEPENDENCY.exec(body);
        if (!match) return invalid(line, `cannot read dependency "${body}"`);
        direct.add(match[1] as string);
        return;
      }

      if (depth === 2) {
        if (body === 'specs:') section.inSpecs = true;
        else if (body.startsWith('remote:')) section.remote = body.slice('remote:'.length).trim();
        return;
      }
      // Six spaces: what a gem itself requires; those gems have their own four-space entries.
      if (depth === 6 && section.inSpecs) return;
      if (depth !== 4 || !section.inSpecs)
        return invalid(line, `unexpected indentation in ${section.kind}: ${body}`);
      if (section.kind === 'PLUGIN SOURCE') return;

      const match = SPEC.exec(body);
      const name = match?.[1];
      const version = match?.[2];
      if (!name || !version) return invalid(line, `cannot read gem "${body}"; expected "name (version)"`);
      if (section.kind !== 'GEM') {
        if (unresolvable.has(name)) return;
        unresolvable.add(name);
        const from =
          section.kind === 'GIT'
            ? `git (${section.remote ?? 'unknown remote'})`
            : `the local path ${section.remote ?? '?'}`;
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name} ${version} comes from ${from}; it has no registry version to check`,
          line,
        });
        return;
      }
      // One gem often has an entry per platform (nokogiri for linux and darwin): same version.
      const key = `${name}@${version}`;
      if (seen.has(key)) return;
      seen.add(key);
      gems.push({ name, version, line });
    });

    if (!sawSource) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no GEM, GIT or PATH section`,
      });
    } else if (!sawDependencies) {
      diagnostics.push({
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: `${path} has no DEPENDENCIES section (truncated?); every gem is reported as indirect`,
      });
    }

    const dependencies: ParsedDependency[] = gems.map((gem) => ({
      ecosystem: 'RubyGems',
      name: normalizePackageName('RubyGems', gem.name),
      version: gem.version,
      scope: 'runtime',
      direct: direct.has(gem.name),
      manifestPath: path,
      line: gem.line,
    }));
    return { dependencies, diagnostics };
  },
};
