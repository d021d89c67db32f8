import { normalizePackageName } from '../../../ecosystem/package-name';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ManifestParseResult,
  ParsedDependency,
  ParseOptions,
} from '../../manifest.types';
import { markedUnique } from '../../dedupe-dependencies';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { readPomXml, XmlElement, type XmlRead, type XmlValue } from './pom-xml-document';

interface Managed {
  readonly version?: string;
  readonly scope?: string;
}

interface ExpansionLimit {
  /** The property whose expansion was stopped. */
  readonly property: string;
  readonly reason: 'length' | 'depth';
}

interface Interpolated {
  /** The expanded text; the text as written when a limit stopped the expansion. */
  readonly value: string;
  /** The first property left unresolved (undefined, or defined through itself). */
  readonly missing?: string;
  readonly limit?: ExpansionLimit;
}

const DEV_SCOPES = new Set(['test', 'provided']);
const PROPERTY = /\$\{([^}]*)\}/g;
// `[1.5]` is Maven's hard requirement for exactly 1.5; other brackets and parentheses are ranges.
const EXACT_RANGE = /^\[\s*([^,[\]()\s]+)\s*\]$/;
// Real POMs nest a handful of properties and expand to a version or a coordinate; far more is a
// bomb (`p0=${p1}${p1}`, 25 levels = 32 M characters from 800 bytes).
const MAX_EXPANDED_LENGTH = 1024;
const MAX_EXPANSION_DEPTH = 32;

const list = (value: XmlValue | undefined): (string | XmlElement)[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
// A repeated element comes back as an array; Maven keeps the last.
const text = (value: XmlValue | undefined): string | undefined => {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
};
/** The value when it is one element with children (not text, not repeated). */
const element = (value: XmlValue | undefined): XmlElement | undefined =>
  value instanceof XmlElement ? value : undefined;
// What an absent or text-only container reads as: no children, no offsets.
const NO_ELEMENT = new XmlElement(undefined);

/**
 * `pom.xml`: the project's `<dependencies>`, all direct, with versions from `<dependencyManagement>`
 * and `${properties}` of the same file. What only a parent POM or an imported BOM could tell
 * comes out with version null and a diagnostic.
 */
export const pomXmlParser: ManifestParser = {
  id: 'pom-xml',
  ecosystem: 'Maven',
  parse: (path, raw, options) => parsePomXml(path, raw, options, readPomXml),
};

/** The parse with `read` as the XML reader: tests compare saxes first with fast-xml-parser alone. */
export function parsePomXml(
  path: string,
  raw: string,
  options: ParseOptions | undefined,
  read: (path: string, source: string) => XmlRead,
): ManifestParseResult {
  if (looksBinary(raw)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
  const source = normalizeText(raw);
  const fail = (message: string, line?: number) => ({
    dependencies: [],
    diagnostics: [
      {
        severity: 'error' as const,
        code: 'INVALID_SYNTAX',
        message,
        ...(line === undefined ? {} : { line }),
      },
    ],
  });
  if (source.trim() === '') return fail(`${path} is empty`);
  const document = read(path, source);
  if ('error' in document) return fail(document.error, document.line);
  const project = element(document.project);
  if (!project) return fail(`${path} has no <project> root element`);

  const diagnostics: ManifestDiagnostic[] = [];
  const { interpolate, defines } = propertyResolver(project, options);
  // An element's text with its properties expanded, without a result object when it has none.
  const expand = (value: string) => (value.includes('${') ? interpolate(value).value : value);
  const lineOf = lineFinder(source);

  const managed = new Map<string, Managed>();
  const management = element(project.get('dependencyManagement')) ?? NO_ELEMENT;
  for (const entry of dependencyNodes(management)) {
    const group = interpolate(text(entry.get('groupId')) ?? '').value;
    const artifact = interpolate(text(entry.get('artifactId')) ?? '').value;
    // An imported BOM manages versions in a file this one only names.
    if (text(entry.get('scope')) === 'import') continue;
    managed.set(`${group}:${artifact}`, {
      version: text(entry.get('version')),
      scope: text(entry.get('scope')),
    });
  }

  const dependencies: ParsedDependency[] = [];
  // identity → the list position of its latest declaration; Maven keeps the last one.
  const seen = new Map<string, number>();
  const superseded = new Set<number>();
  let namesDiffer = true;
  for (const entry of dependencyNodes(project)) {
    const line = lineOf(entry, 'artifactId');
    const rawGroup = text(entry.get('groupId'));
    const rawArtifact = text(entry.get('artifactId'));
    if (!rawGroup || !rawArtifact) {
      diagnostics.push(
        warning(
          'MISSING_FIELD',
          `a <dependency> has no ${rawGroup ? 'artifactId' : 'groupId'}; it was skipped`,
          line,
        ),
      );
      continue;
    }
    // Coordinates are mostly written out: no result object for those.
    const group = rawGroup.includes('${') ? interpolate(rawGroup) : undefined;
    const artifact = rawArtifact.includes('${') ? interpolate(rawArtifact) : undefined;
    const coordinates = `${group?.value ?? rawGroup}:${artifact?.value ?? rawArtifact}`;
    const limit = group?.limit ?? artifact?.limit;
    if (limit) {
      const written = `${rawGroup}:${rawArtifact}`;
      diagnostics.push(expansionLimit('the dependency', written, limit, line, 'it was skipped'));
      continue;
    }
    const unresolvedName = group?.missing ?? artifact?.missing;
    if (unresolvedName !== undefined) {
      diagnostics.push(
        warning(
          'UNRESOLVABLE',
          `${truncate(coordinates)} needs the property ${unresolvedName}, which this POM does not define; it was skipped`,
          line,
        ),
      );
      continue;
    }
    const name = normalizePackageName('Maven', coordinates);

    const type = text(entry.get('type')) ?? 'jar';
    const classifier = text(entry.get('classifier')) ?? '';
    const identity = `${coordinates}:${type}:${classifier}`;
    // Kept declarations differ in identity; in name too unless a type, classifier or odd name
    // tells two apart that normalise to one name.
    if (type !== 'jar' || classifier !== '' || name !== coordinates) namesDiffer = false;
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      superseded.add(earlier);
      const earlierLine = (dependencies[earlier] as ParsedDependency).line;
      diagnostics.push(
        warning(
          'DUPLICATE',
          `${name} is declared twice${earlierLine === undefined ? '' : ` (also on line ${earlierLine})`}; Maven uses the last one`,
          line,
        ),
      );
    }
    seen.set(identity, dependencies.length);

    const fromManagement = managed.get(coordinates);
    const scopeName = expand(text(entry.get('scope')) ?? fromManagement?.scope ?? 'compile');
    const optional = expand(text(entry.get('optional')) ?? 'false') === 'true';
    const scope: DependencyScope = DEV_SCOPES.has(scopeName) ? 'dev' : optional ? 'optional' : 'runtime';

    const written = text(entry.get('version')) || fromManagement?.version;
    if (!written) {
      diagnostics.push(
        warning(
          'UNRESOLVABLE',
          `${name} has no version here; the parent POM or an imported BOM sets it, which RepoGuard does not read`,
          line,
        ),
      );
      dependencies.push(pomDependency(path, name, scope, line, null));
      continue;
    }
    const version = interpolate(written);
    if (version.limit) {
      diagnostics.push(
        expansionLimit(`${name} version`, written, version.limit, line, 'the version is left unresolved'),
      );
      dependencies.push(pomDependency(path, name, scope, line, null));
      continue;
    }
    const { missing } = version;
    if (missing !== undefined) {
      const envVar = missing.startsWith('env.');
      diagnostics.push(
        warning(
          envVar ? 'UNKNOWN_ENV_VAR' : 'UNRESOLVABLE',
          envVar
            ? `${name} version ${truncate(written)} uses the environment variable ${missing.slice(4)}, which was not given`
            : defines(missing)
              ? `${name} version ${truncate(written)} needs the property ${missing}, whose definition refers back to itself`
              : `${name} version ${truncate(written)} needs the property ${missing}, which this POM does not define (a parent POM may)`,
          line,
        ),
      );
      dependencies.push(pomDependency(path, name, scope, line, null));
      continue;
    }
    if (version.value.trim() === '') {
      diagnostics.push(
        warning(
          'UNRESOLVABLE',
          `${name} version ${truncate(written)} is empty once its properties are expanded`,
          line,
        ),
      );
      dependencies.push(pomDependency(path, name, scope, line, null));
      continue;
    }
    const exact = pinnedVersion(version.value);
    if (exact === undefined) {
      diagnostics.push(
        warning(
          'UNPINNED',
          /[[\](),]/.test(version.value)
            ? `${name} ${truncate(version.value)} is a version range, not an exact version`
            : `${name} ${truncate(version.value)} is not an exact version (Maven picks the newest at build time)`,
          line,
        ),
      );
      dependencies.push(pomDependency(path, name, scope, line, null, version.value));
      continue;
    }
    dependencies.push(pomDependency(path, name, scope, line, exact));
  }

  for (const profile of list(element(project.get('profiles'))?.get('profile'))) {
    if (!(profile instanceof XmlElement)) continue;
    const count = dependencyNodes(profile).length;
    if (count === 0) continue;
    const line = lineOf(profile);
    diagnostics.push({
      severity: 'info',
      code: 'OPTION_IGNORED',
      message: `profile ${text(profile.get('id')) ?? '(no id)'} declares ${count} dependency(ies); profiles are not evaluated`,
      ...(line === undefined ? {} : { line }),
    });
  }
  const kept = dependencies.filter((_, index) => !superseded.has(index));
  // Saves parseManifest looking for repeats again across tens of thousands of dependencies.
  return { dependencies: namesDiffer ? markedUnique(kept) : kept, diagnostics };
}

/** A warning, as one of two literal shapes: spreading an optional line in cost an object each. */
function warning(code: string, message: string, line: number | undefined): ManifestDiagnostic {
  return line === undefined
    ? { severity: 'warning', code, message }
    : { severity: 'warning', code, message, line };
}

// Literal objects of one shape: spreading a base into each of thousands of dependencies was a
// good part of the parse.
function pomDependency(
  manifestPath: string,
  name: string,
  scope: DependencyScope,
  line: number | undefined,
  version: string | null,
  specifier?: string,
): ParsedDependency {
  const found: { -readonly [K in keyof ParsedDependency]: ParsedDependency[K] } = {
    ecosystem: 'Maven',
    name,
    scope,
    direct: true,
    manifestPath,
    line,
    version,
  };
  if (line === undefined) delete found.line;
  if (specifier !== undefined) found.specifier = specifier;
  return found;
}

function dependencyNodes(parent: XmlElement): XmlElement[] {
  return list(element(parent.get('dependencies'))?.get('dependency')).map((d) => element(d) ?? NO_ELEMENT);
}

/** The exact version Maven would use, or undefined for ranges and LATEST/RELEASE. */
function pinnedVersion(version: string): string | undefined {
  const hard = EXACT_RANGE.exec(version);
  if (hard) return hard[1];
  if (/[[\](),]/.test(version) || version === 'LATEST' || version === 'RELEASE') return undefined;
  return version;
}

/**
 * `${...}` from `<properties>`, the project and parent coordinates and, for `env.*`, the options.
 * Each property is expanded once and remembered, so `p0=${p1}${p1}` nested 60 deep costs 60
 * expansions, not 2^60; an expansion that outgrows MAX_EXPANDED_LENGTH (or its own text) or nests
 * deeper than MAX_EXPANSION_DEPTH stops and names the property instead of building a huge string.
 */
function propertyResolver(project: XmlElement, options: ParseOptions | undefined) {
  const parent = element(project.get('parent')) ?? NO_ELEMENT;
  // The project's and its parent's coordinates; a declared property of the same name wins.
  const builtIn = new Map<string, string>();
  const define = (name: string, value: string | undefined) => {
    if (value !== undefined) builtIn.set(name, value);
  };
  const version = text(project.get('version')) ?? text(parent.get('version'));
  const groupId = text(project.get('groupId')) ?? text(parent.get('groupId'));
  for (const prefix of ['project.', 'pom.', '']) {
    define(`${prefix}version`, version);
    define(`${prefix}groupId`, groupId);
    define(`${prefix}artifactId`, text(project.get('artifactId')));
    define(`${prefix}parent.version`, text(parent.get('version')));
    define(`${prefix}parent.groupId`, text(parent.get('groupId')));
  }
  const declared = element(project.get('properties')) ?? NO_ELEMENT;
  // Declared properties are read by name where they are, not copied: a POM may declare 100,000.
  // `#text` is the text between a mixed `<properties>`'s children, as the tree's key used to be.
  const property = (name: string): string | undefined =>
    (name === '#text' ? declared.text : text(declared.get(name))) ?? builtIn.get(name);

  const expanded = new Map<string, Interpolated>();
  // The chain of properties being expanded right now: a name met again is a cycle.
  const expanding = new Set<string>();

  const lookup = (name: string): Interpolated => {
    const env = name.startsWith('env.') ? options?.env?.[name.slice(4)] : undefined;
    if (env !== undefined) return { value: env };
    const value = property(name);
    // A property defined through itself is as good as undefined.
    if (value === undefined || expanding.has(name)) return { value: `\${${name}}`, missing: name };
    const known = expanded.get(name);
    if (known) return known;
    if (expanding.size >= MAX_EXPANSION_DEPTH) return { value, limit: { property: name, reason: 'depth' } };
    expanding.add(name);
    const result = interpolate(value, name);
    expanding.delete(name);
    expanded.set(name, result);
    return result;
  };
  /** `owner` is the property whose value `value` is; absent for an element's own text. */
  const interpolate = (value: string, owner?: string): Interpolated => {
    if (!value.includes('${')) return { value };
    // Never longer than the cap, or than the text itself when that is longer (no growth at all).
    const cap = Math.max(MAX_EXPANDED_LENGTH, value.length);
    let resolved = '';
    let missing: string | undefined;
    let end = 0;
    let last = '';
    for (const match of value.matchAll(PROPERTY)) {
      const name = (match[1] as string).trim();
      const inner = lookup(name);
      last = name;
      if (inner.limit) return { value, limit: inner.limit };
      missing ??= inner.missing;
      resolved += value.slice(end, match.index) + inner.value;
      end = match.index + match[0].length;
      if (resolved.length > cap) return { value, limit: { property: owner ?? name, reason: 'length' } };
    }
    resolved += value.slice(end);
    if (resolved.length > cap) return { value, limit: { property: owner ?? last, reason: 'length' } };
    return missing === undefined ? { value: resolved } : { value: resolved, missing };
  };
  // An element's text expanded once per distinct text: thousands of versions may read `${v}`.
  const texts = new Map<string, Interpolated>();
  return {
    interpolate: (value: string): Interpolated => {
      if (!value.includes('${')) return { value };
      let result = texts.get(value);
      if (!result) {
        result = interpolate(value);
        texts.set(value, result);
      }
      return result;
    },
    defines: (name: string) => property(name) !== undefined,
  };
}

/** The diagnostic for an expansion stopped at a limit. */
function expansionLimit(
  subject: string,
  written: string,
  limit: ExpansionLimit,
  line: number | undefined,
  outcome: string,
) {
  const why =
    limit.reason === 'length'
      ? `expands to more than ${MAX_EXPANDED_LENGTH} characters`
      : `nests more than ${MAX_EXPANSION_DEPTH} property references deep`;
  const message = `${subject} ${truncate(written)} needs the property ${limit.property}, which ${why}; ${outcome}`;
  return warning('PROPERTY_EXPANSION_LIMIT', message, line);
}

// Messages quote what the POM wrote; a hostile value must not make them huge.
function truncate(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}

/** The index of the first of the ascending `values` that is at least `at`; `values.length` if none. */
function firstAtLeast(values: readonly number[], at: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] as number) < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

const ARTIFACT_ID_TAG = /<(?:[\w.-]+:)?artifactId[\s>]/y;
const WORD_OR_DOT_OR_DASH = /[\w.-]/;

/** The `<` that opens a tag whose (local) name starts at `name`, or -1: `<name` or `<prefix:name`. */
function tagOpening(source: string, at: number): number {
  if (source.charCodeAt(at - 1) === 0x3c) return at - 1;
  if (source.charCodeAt(at - 1) !== 0x3a) return -1;
  let i = at - 2;
  while (i >= 0 && WORD_OR_DOT_OR_DASH.test(source[i] as string)) i--;
  return i < at - 2 && source.charCodeAt(i) === 0x3c ? i : -1;
}

/** Line of an element, or of its `<artifactId>` child, from the parser's offsets. */
function lineFinder(source: string) {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number) => firstAtLeast(starts, offset + 1);
  // Every `<artifactId` tag, found once: a search per dependency (a RegExp built and run on its
  // slice) cost more than reading the XML. Found by indexOf and confirmed by a sticky test, as a
  // match object per tag was a tenth of a parse's garbage.
  const artifactIds: number[] = [];
  for (let at = source.indexOf('artifactId'); at !== -1; at = source.indexOf('artifactId', at + 1)) {
    const tag = tagOpening(source, at);
    if (tag === -1 || tag === artifactIds[artifactIds.length - 1]) continue;
    ARTIFACT_ID_TAG.lastIndex = tag;
    if (ARTIFACT_ID_TAG.test(source)) artifactIds.push(tag);
  }
  return (node: XmlElement, child?: 'artifactId'): number | undefined => {
    const { start } = node;
    if (start === undefined) return undefined;
    const end = node.end ?? source.length;
    const found = child === undefined ? undefined : artifactIds[firstAtLeast(artifactIds, start)];
    return lineAt(found !== undefined && found < end ? found : start);
  };
}
