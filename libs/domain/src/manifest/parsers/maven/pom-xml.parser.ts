import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { isObject } from '../../../shared/is-object';
import { normalizePackageName } from '../../../ecosystem/package-name';
import type {
  DependencyScope,
  ManifestDiagnostic,
  ManifestParser,
  ParsedDependency,
  ParseOptions,
} from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';

type XmlNode = Record<string, unknown>;

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

// `captureMetaData` puts each element's character offsets under this key.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const DEV_SCOPES = new Set(['test', 'provided']);
const PROPERTY = /\$\{([^}]*)\}/g;
// `[1.5]` is Maven's hard requirement for exactly 1.5; other brackets and parentheses are ranges.
const EXACT_RANGE = /^\[\s*([^,[\]()\s]+)\s*\]$/;
// Real POMs nest a handful of properties and expand to a version or a coordinate; far more is a
// bomb (`p0=${p1}${p1}`, 25 levels = 32 M characters from 800 bytes).
const MAX_EXPANDED_LENGTH = 1024;
const MAX_EXPANSION_DEPTH = 32;

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
// A repeated element comes back as an array; Maven keeps the last.
const text = (value: unknown): string | undefined => {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
};

/**
 * `pom.xml`: the project's `<dependencies>`, all direct, with versions from `<dependencyManagement>`
 * and `${properties}` of the same file. What only a parent POM or an imported BOM could tell
 * comes out with version null and a diagnostic.
 */
export const pomXmlParser: ManifestParser = {
  id: 'pom-xml',
  ecosystem: 'Maven',
  parse(path, raw, options) {
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
    const document = readXml(path, source) ?? readXmlStrictly(path, source);
    if ('error' in document) return fail(document.error, document.line);
    const project = document.project;
    if (!isObject(project)) return fail(`${path} has no <project> root element`);

    const diagnostics: ManifestDiagnostic[] = [];
    const { interpolate, defines } = propertyResolver(project, options);
    const lineOf = lineFinder(source);

    const managed = new Map<string, Managed>();
    const management = isObject(project['dependencyManagement']) ? project['dependencyManagement'] : {};
    for (const entry of dependencyNodes(management)) {
      const group = interpolate(text(entry['groupId']) ?? '').value;
      const artifact = interpolate(text(entry['artifactId']) ?? '').value;
      // An imported BOM manages versions in a file this one only names.
      if (text(entry['scope']) === 'import') continue;
      managed.set(`${group}:${artifact}`, { version: text(entry['version']), scope: text(entry['scope']) });
    }

    const dependencies: ParsedDependency[] = [];
    // identity → the line and list position of its latest declaration; Maven keeps the last one.
    const seen = new Map<string, { line: number | undefined; index: number }>();
    const superseded = new Set<number>();
    for (const entry of dependencyNodes(project)) {
      const line = lineOf(entry, 'artifactId');
      const where = line === undefined ? {} : { line };
      const rawGroup = text(entry['groupId']);
      const rawArtifact = text(entry['artifactId']);
      if (!rawGroup || !rawArtifact) {
        diagnostics.push({
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: `a <dependency> has no ${rawGroup ? 'artifactId' : 'groupId'}; it was skipped`,
          ...where,
        });
        continue;
      }
      const group = interpolate(rawGroup);
      const artifact = interpolate(rawArtifact);
      const coordinates = `${group.value}:${artifact.value}`;
      const limit = group.limit ?? artifact.limit;
      if (limit) {
        const written = `${rawGroup}:${rawArtifact}`;
        diagnostics.push(expansionLimit('the dependency', written, limit, line, 'it was skipped'));
        continue;
      }
      const unresolvedName = group.missing ?? artifact.missing;
      if (unresolvedName !== undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${truncate(coordinates)} needs the property ${unresolvedName}, which this POM does not define; it was skipped`,
          ...where,
        });
        continue;
      }
      const name = normalizePackageName('Maven', coordinates);

      const identity = [coordinates, text(entry['type']) ?? 'jar', text(entry['classifier']) ?? ''].join(':');
      const earlier = seen.get(identity);
      if (earlier) {
        superseded.add(earlier.index);
        diagnostics.push({
          severity: 'warning',
          code: 'DUPLICATE',
          message: `${name} is declared twice${earlier.line === undefined ? '' : ` (also on line ${earlier.line})`}; Maven uses the last one`,
          ...where,
        });
      }
      seen.set(identity, { line, index: dependencies.length });

      const fromManagement = managed.get(coordinates);
      const scopeName = interpolate(text(entry['scope']) ?? fromManagement?.scope ?? 'compile').value;
      const optional = interpolate(text(entry['optional']) ?? 'false').value === 'true';
      const scope: DependencyScope = DEV_SCOPES.has(scopeName) ? 'dev' : optional ? 'optional' : 'runtime';
      // Literal objects of one shape: spreading a base into each of thousands of dependencies was
      // a good part of the parse.
      const dependency = (version: string | null, specifier?: string): ParsedDependency => {
        const found: { -readonly [K in keyof ParsedDependency]: ParsedDependency[K] } = {
          ecosystem: 'Maven',
          name,
          scope,
          direct: true,
          manifestPath: path,
          line,
          version,
        };
        if (line === undefined) delete found.line;
        if (specifier !== undefined) found.specifier = specifier;
        return found;
      };

      const written = text(entry['version']) || fromManagement?.version;
      if (!written) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name} has no version here; the parent POM or an imported BOM sets it, which RepoGuard does not read`,
          ...where,
        });
        dependencies.push(dependency(null));
        continue;
      }
      const version = interpolate(written);
      if (version.limit) {
        diagnostics.push(
          expansionLimit(`${name} version`, written, version.limit, line, 'the version is left unresolved'),
        );
        dependencies.push(dependency(null));
        continue;
      }
      const { missing } = version;
      if (missing !== undefined) {
        const envVar = missing.startsWith('env.');
        diagnostics.push({
          severity: 'warning',
          code: envVar ? 'UNKNOWN_ENV_VAR' : 'UNRESOLVABLE',
          message: envVar
            ? `${name} version ${truncate(written)} uses the environment variable ${missing.slice(4)}, which was not given`
            : defines(missing)
              ? `${name} version ${truncate(written)} needs the property ${missing}, whose definition refers back to itself`
              : `${name} version ${truncate(written)} needs the property ${missing}, which this POM does not define (a parent POM may)`,
          ...where,
        });
        dependencies.push(dependency(null));
        continue;
      }
      if (version.value.trim() === '') {
        diagnostics.push({
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: `${name} version ${truncate(written)} is empty once its properties are expanded`,
          ...where,
        });
        dependencies.push(dependency(null));
        continue;
      }
      const exact = pinnedVersion(version.value);
      if (exact === undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'UNPINNED',
          message: /[[\](),]/.test(version.value)
            ? `${name} ${truncate(version.value)} is a version range, not an exact version`
            : `${name} ${truncate(version.value)} is not an exact version (Maven picks the newest at build time)`,
          ...where,
        });
        dependencies.push(dependency(null, version.value));
        continue;
      }
      dependencies.push(dependency(exact));
    }

    for (const profile of list(isObject(project['profiles']) ? project['profiles']['profile'] : undefined)) {
      if (!isObject(profile)) continue;
      const count = dependencyNodes(profile).length;
      if (count === 0) continue;
      const line = lineOf(profile);
      diagnostics.push({
        severity: 'info',
        code: 'OPTION_IGNORED',
        message: `profile ${text(profile['id']) ?? '(no id)'} declares ${count} dependency(ies); profiles are not evaluated`,
        ...(line === undefined ? {} : { line }),
      });
    }
    return { dependencies: dependencies.filter((_, index) => !superseded.has(index)), diagnostics };
  },
};

type XmlRead = { readonly project: unknown } | { readonly error: string; readonly line?: number };

interface OpenElement {
  readonly name: string;
  readonly start: number;
  /** Set once a child element appears; until then the element is text. */
  node?: XmlNode;
  text: string;
}

// `readXmlStrictly`'s bound (maxNestedTags: 100 below the root), with its error; refused here
// without reading further, as a validator pass over megabytes of unclosed tags is what costs.
const MAX_NESTED_ELEMENTS = 101;
const TOO_DEEP = 'Maximum nested tags exceeded';

/**
 * The document shaped as `readXmlStrictly` gives it (local names, trimmed text, repeats as arrays,
 * each element's offsets), read by saxes at a fraction of the cost. Undefined for what it does not
 * take as an ordinary POM (not well-formed, a DOCTYPE, an element named `__proto__`): that is left
 * to `readXmlStrictly`. saxes expands only XML's predefined entities and character references.
 */
function readXml(path: string, source: string): XmlRead | undefined {
  const parser = new SaxesParser();
  const open: OpenElement[] = [];
  let root: XmlNode | undefined;
  let declined = false;
  let tooDeep = false;
  const decline = () => {
    declined = true;
    // saxes reports through `error` and goes on; a throw is the way out of `write`.
    throw new Error('declined');
  };
  parser.on('error', decline);
  parser.on('doctype', decline);
  parser.on('opentagstart', (tag) => {
    if (open.length >= MAX_NESTED_ELEMENTS) {
      tooDeep = true;
      throw new Error(TOO_DEEP);
    }
    const name = tag.name.slice(tag.name.indexOf(':') + 1);
    // Set as a key of a plain object it would replace that object's prototype.
    if (name === '__proto__') decline();
    open.push({ name, start: source.lastIndexOf('<', parser.position - 1), text: '' });
  });
  const addText = (text: string) => {
    const current = open[open.length - 1];
    if (current) current.text += text;
  };
  // As fast-xml-parser's trimValues: each run of text trimmed, CDATA kept as written.
  parser.on('text', (text) => addText(text.trim()));
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const element = open.pop() as OpenElement;
    let value: unknown = element.text;
    if (element.node) {
      if (element.text !== '') element.node['#text'] = element.text;
      (element.node as Record<symbol, unknown>)[META] = {
        startIndex: element.start,
        endIndex: parser.position,
      };
      value = element.node;
    }
    const parent = open[open.length - 1];
    if (!parent) {
      root = { [element.name]: value };
      return;
    }
    const node = (parent.node ??= {});
    const earlier = node[element.name];
    if (earlier === undefined) node[element.name] = value;
    else if (Array.isArray(earlier)) earlier.push(value);
    else node[element.name] = [earlier, value];
  });
  try {
    parser.write(source).close();
  } catch (error) {
    if (tooDeep) return { error: `${path} could not be read as XML: ${TOO_DEEP}` };
    if (declined) return undefined;
    throw error;
  }
  return { project: root?.['project'] };
}

/**
 * The document as fast-xml-parser reads it, through its validator: slow, but the reader of record
 * for anything `readXml` declines, so diagnostics and the DOCTYPE and nesting bounds stay its own.
 */
function readXmlStrictly(path: string, source: string): XmlRead {
  const validation = XMLValidator.validate(source);
  if (validation !== true)
    return { error: `${path} is not well-formed XML: ${validation.err.msg}`, line: validation.err.line };

  let document: unknown;
  try {
    document = new XMLParser({
      ignoreAttributes: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      // Versions stay strings: `1.10` must not become the number 1.1.
      parseTagValue: false,
      trimValues: true,
      removeNSPrefix: true,
      captureMetaData: true,
      // A POM needs no DOCTYPE entities; these bounds (tighter than the library's) keep a
      // billion-laughs DOCTYPE to an error, and nesting deeper than any POM to another.
      processEntities: {
        maxEntityCount: 100,
        maxEntitySize: 1024,
        maxTotalExpansions: 1000,
        maxExpandedLength: 64 * 1024,
      },
      maxNestedTags: 100,
    }).parse(source);
  } catch (error) {
    return {
      error: `${path} could not be read as XML: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return isObject(document) ? { project: document['project'] } : { project: undefined };
}

function dependencyNodes(parent: XmlNode): XmlNode[] {
  const container = parent['dependencies'];
  return list(isObject(container) ? container['dependency'] : undefined).map((d) => (isObject(d) ? d : {}));
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
function propertyResolver(project: XmlNode, options: ParseOptions | undefined) {
  const parent = isObject(project['parent']) ? project['parent'] : {};
  const properties = new Map<string, string>();
  const define = (name: string, value: string | undefined) => {
    if (value !== undefined) properties.set(name, value);
  };
  const version = text(project['version']) ?? text(parent['version']);
  const groupId = text(project['groupId']) ?? text(parent['groupId']);
  for (const prefix of ['project.', 'pom.', '']) {
    define(`${prefix}version`, version);
    define(`${prefix}groupId`, groupId);
    define(`${prefix}artifactId`, text(project['artifactId']));
    define(`${prefix}parent.version`, text(parent['version']));
    define(`${prefix}parent.groupId`, text(parent['groupId']));
  }
  const declared = isObject(project['properties']) ? project['properties'] : {};
  for (const [name, value] of Object.entries(declared)) define(name, text(value));

  const expanded = new Map<string, Interpolated>();
  // The chain of properties being expanded right now: a name met again is a cycle.
  const expanding = new Set<string>();

  const lookup = (name: string): Interpolated => {
    const env = name.startsWith('env.') ? options?.env?.[name.slice(4)] : undefined;
    if (env !== undefined) return { value: env };
    const value = properties.get(name);
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
  return {
    interpolate: (value: string) => interpolate(value),
    defines: (name: string) => properties.has(name),
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
  return {
    severity: 'warning' as const,
    code: 'PROPERTY_EXPANSION_LIMIT',
    message: `${subject} ${truncate(written)} needs the property ${limit.property}, which ${why}; ${outcome}`,
    ...(line === undefined ? {} : { line }),
  };
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

/** Line of an element, or of its `<artifactId>` child, from the parser's offsets. */
function lineFinder(source: string) {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number) => firstAtLeast(starts, offset + 1);
  // Every `<artifactId` tag, found once: a search per dependency (a RegExp built and run on its
  // slice) cost more than reading the XML.
  const artifactIds: number[] = [];
  for (const match of source.matchAll(/<(?:[\w.-]+:)?artifactId[\s>]/g)) artifactIds.push(match.index);
  return (node: XmlNode, child?: 'artifactId'): number | undefined => {
    const meta = (node as Record<symbol, unknown>)[META];
    const start = isObject(meta) && typeof meta['startIndex'] === 'number' ? meta['startIndex'] : undefined;
    if (start === undefined) return undefined;
    const end = isObject(meta) && typeof meta['endIndex'] === 'number' ? meta['endIndex'] : source.length;
    const found = child === undefined ? undefined : artifactIds[firstAtLeast(artifactIds, start)];
    return lineAt(found !== undefined && found < end ? found : start);
  };
}
