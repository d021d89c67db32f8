import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isObject } from '../../../shared/is-object';
import { normalizeText } from '../../manifest-text';
import { cycloneDxDocument } from './cyclonedx-document';
import {
  cyclonedxScope,
  hashOf,
  licenseOf,
  MAX_COMPONENT_NESTING,
  refused,
  textOf,
  type SbomComponent,
  type SbomRead,
} from './sbom-document';

/** Elements nested deeper are refused: a BOM nests two per component level, 2 × 32 and a few. */
const MAX_NESTED_TAGS = 2 * MAX_COMPONENT_NESTING + 16;
/** The longest tag given to the validator, whose cost grows with a tag's length; real ones are short. */
const MAX_TAG_LENGTH = 64 * 1024;
const NAMESPACE = /xmlns(?::[\w.-]+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)["']/;
const REPEATED = new Set(['component', 'dependency', 'hash', 'license', 'expression', 'property']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // No entity is expanded, not even XML's five: a BOM has no use for a DOCTYPE's, and those five
  // are decoded here, in text that cannot grow.
  processEntities: false,
  removeNSPrefix: true,
  // Versions stay strings: `1.10` must not become the number 1.1.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_NESTED_TAGS,
  isArray: (name) => REPEATED.has(name),
});

/** A CycloneDX XML BOM (1.2 to 1.6) as an SbomDocument. */
export function readCycloneDxXml(path: string, text: string): SbomRead {
  const source = normalizeText(text);
  // A DOCTYPE can declare entities (billion laughs) and external ones (files, URLs): a BOM needs
  // none, so one is refused before any parser sees it.
  const doctype = /<!(?:DOCTYPE|ENTITY)/i.exec(source);
  if (doctype) return refused(`${path} declares a DOCTYPE; a BOM may not`, lineAt(source, doctype.index));
  const long = firstLongTag(source);
  if (long !== undefined)
    return refused(`${path} has a tag longer than ${MAX_TAG_LENGTH} characters`, lineAt(source, long));
  const validation = XMLValidator.validate(source);
  if (validation !== true)
    return refused(`${path} is not well-formed XML: ${validation.err.msg}`, validation.err.line);
  let parsed: unknown;
  try {
    parsed = parser.parse(source);
  } catch (error) {
    return refused(
      `${path} could not be read as XML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // An empty `<bom/>` (its namespace attribute dropped) parses as text.
  const element = isObject(parsed) ? parsed['bom'] : undefined;
  const bom = isObject(element) ? element : element === '' ? {} : undefined;
  if (!bom) return refused(`${path} is not a CycloneDX BOM (its root element is not <bom>)`);
  const metadata = isObject(bom['metadata']) ? bom['metadata'] : {};
  return cycloneDxDocument(path, {
    format: 'cyclonedx-xml',
    specVersion: NAMESPACE.exec(source.slice(0, 4096))?.[1] ?? '',
    serialNumber: attribute(bom, 'serialNumber'),
    root: first(metadata['component']),
    components: componentsIn(bom['components']),
    graph: graphOf(bom['dependencies']),
    childrenOf: (component) => componentsIn(component['components']),
    componentOf,
  });
}

/** The `<component>`s of a `<components>`; one of text alone reads as an empty component. */
const componentsIn = (holder: unknown): Record<string, unknown>[] =>
  isObject(holder) ? arrayOf(holder['component']).map((e) => (isObject(e) ? e : {})) : [];

function componentOf(component: Record<string, unknown>): SbomComponent {
  const hashes = elements(component['hashes'], 'hash').flatMap(
    (h) => hashOf(attribute(h, 'alg'), contentOf(h)) ?? [],
  );
  const licensesHolder = isObject(component['licenses']) ? component['licenses'] : {};
  const licenses = [
    ...arrayOf(licensesHolder['expression']).flatMap((e) => licenseOf(contentOf(e)) ?? []),
    ...arrayOf(licensesHolder['license']).flatMap((l) =>
      isObject(l) ? (licenseOf(contentOf(l['id'])) ?? licenseOf(contentOf(l['name'])) ?? []) : [],
    ),
  ];
  const development = elements(component['properties'], 'property').some(
    (p) => attribute(p, 'name') === 'cdx:npm:package:development' && contentOf(p) === 'true',
  );
  return {
    ref: attribute(component, 'bom-ref'),
    name: nameOf(component),
    version: contentOf(component['version']),
    purl: contentOf(component['purl']),
    scope: cyclonedxScope(contentOf(component['scope'])) ?? (development ? 'dev' : undefined),
    hashes,
    licenses,
  };
}

function graphOf(holder: unknown): Map<string, string[]> | undefined {
  if (!isObject(holder)) return holder === undefined ? undefined : new Map();
  const graph = new Map<string, string[]>();
  for (const entry of elements(holder, 'dependency')) {
    const ref = attribute(entry, 'ref');
    if (!ref) continue;
    const on = elements(entry, 'dependency').flatMap((d) => attribute(d, 'ref') ?? []);
    const earlier = graph.get(ref);
    if (earlier) for (const r of on) earlier.push(r);
    else graph.set(ref, on);
  }
  return graph;
}

function nameOf(component: Record<string, unknown>): string | undefined {
  const name = contentOf(component['name']);
  const group = contentOf(component['group']);
  return name && group ? `${group}/${name}` : name;
}

const arrayOf = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** `holder`'s children called `name` that have children or attributes (parsed as objects). */
function elements(holder: unknown, name: string): Record<string, unknown>[] {
  if (!isObject(holder)) return [];
  return arrayOf(holder[name]).filter(isObject);
}

function first(value: unknown): Record<string, unknown> | undefined {
  const found = arrayOf(value)[0];
  return isObject(found) ? found : undefined;
}

function attribute(element: Record<string, unknown>, name: string): string | undefined {
  return contentOf(element[`@_${name}`]);
}

/** An element's text (or an attribute's value), XML's five entities and character references decoded. */
function contentOf(value: unknown): string | undefined {
  const raw = isObject(value) ? value['#text'] : value;
  return textOf(typeof raw === 'string' ? decodeEntities(raw) : undefined);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return ENTITIES[entity.toLowerCase()] ?? whole;
    const code =
      entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The offset of the first `<` whose `>` lies more than MAX_TAG_LENGTH further on; one pass. */
function firstLongTag(source: string): number | undefined {
  for (let i = source.indexOf('<'); i !== -1;) {
    const close = source.indexOf('>', i);
    const end = close === -1 ? source.length : close;
    if (end - i > MAX_TAG_LENGTH) return i;
    i = close === -1 ? -1 : source.indexOf('<', close);
  }
  return undefined;
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
