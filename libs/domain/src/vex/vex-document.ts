import { canonicalAdvisoryId } from '../advisory/advisory-id';
import { ValidationError } from '../errors';
import type { VexAnalysis, VexJustification } from '../finding/vex-analysis';
import { checkedVexAnalysis, vexDecisionProblems } from '../finding/vex-decision';
import { clippedVexDetail, readActionStatement, readImpactStatement } from '../finding/vex-statement-text';
import { isObject } from '../shared/is-object';
import { jsonNestingPastLimit } from '../shared/json-nesting';

/** What one document may hold: the body limit bounds the bytes, these bound the work. */
export const VEX_DOCUMENT_LIMITS = {
  statements: 10_000,
  /** Products (affects, products, subcomponents) across the document, and components named. */
  products: 100_000,
  aliases: 100,
  idLength: 256,
  refLength: 2048,
} as const;

// Free text (a detail, an impact or action statement) is never a reason to refuse a document: the
// body's size bounds it, and what is longer than a detail may be is cut (clippedVexDetail).
const FREE_TEXT = Number.POSITIVE_INFINITY;

/** A package a statement is about: `type/namespace/name` as compared, and its version (null: every version). */
export interface VexProduct {
  readonly base: string;
  readonly version: string | null;
}

/** One statement: a vulnerability (by its ids and aliases), the packages it is about, the analysis. */
export interface VexStatement {
  /** Where it is in the document (`vulnerabilities[2]`, `statements[0]`). */
  readonly at: string;
  readonly vulnerability: string;
  /** The id and its aliases, canonical (CVE upper case, GHSA lower case). */
  readonly ids: readonly string[];
  readonly products: readonly VexProduct[];
  /** Null: a CycloneDX vulnerability without an analysis, which says nothing to apply. */
  readonly analysis: VexAnalysis | null;
}

export interface ParsedVexDocument {
  readonly format: 'cyclonedx' | 'openvex';
  /** The CycloneDX `serialNumber/version` or the OpenVEX `@id`, for the audit trail. */
  readonly documentId: string | null;
  readonly statements: readonly VexStatement[];
}

const invalid = (field: string, problem: string) =>
  new ValidationError(`Invalid VEX document: check ${field}`, [{ field, problem }], 'VEX_INVALID');

/** Reads one document's values, each named by its path, counting what the limits bound. */
class Reader {
  products = 0;

  string(value: unknown, field: string, max: number = VEX_DOCUMENT_LIMITS.idLength): string {
    if (typeof value !== 'string' || value.length === 0) throw invalid(field, 'must be a non-empty string');
    if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
    // No request-wide check sees this body (it is read as bytes), and PostgreSQL stores no NUL.
    if (value.includes('\u0000')) throw invalid(field, 'must not contain NUL characters');
    return value;
  }

  optionalString(value: unknown, field: string, max?: number): string | null {
    return value === undefined || value === null ? null : this.string(value, field, max);
  }

  array(value: unknown, field: string, max: number): unknown[] {
    if (!Array.isArray(value)) throw invalid(field, 'must be an array');
    if (value.length > max) throw invalid(field, `must have at most ${max} entries`);
    return value;
  }

  optionalArray(value: unknown, field: string, max: number): unknown[] {
    return value === undefined || value === null ? [] : this.array(value, field, max);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!isObject(value)) throw invalid(field, 'must be an object');
    return value;
  }

  product(): void {
    if (++this.products > VEX_DOCUMENT_LIMITS.products) {
      throw invalid('body', `must name at most ${VEX_DOCUMENT_LIMITS.products} products in all`);
    }
  }
}

/** Deeper than any VEX document nests (a dozen levels); what the API refuses in any request. */
const MAX_VEX_JSON_NESTING = 64;

/**
 * parseVexDocument of JSON text, whose nesting is checked in one pass before it is parsed:
 * `JSON.parse` slows down more than linearly on text nested millions deep.
 */
export function parseVexJson(text: string): ParsedVexDocument {
  if (jsonNestingPastLimit(text, MAX_VEX_JSON_NESTING) !== undefined)
    throw invalid('body', `must not be nested deeper than ${MAX_VEX_JSON_NESTING} levels`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('body', 'must be a JSON document');
  }
  return parseVexDocument(body);
}

/**
 * A CycloneDX VEX (`bomFormat: CycloneDX`, `vulnerabilities[]`) or OpenVEX (`@context` openvex)
 * document as statements to apply, or a ValidationError naming the first malformed field's path.
 */
export function parseVexDocument(body: unknown): ParsedVexDocument {
  if (isObject(body) && body['bomFormat'] === 'CycloneDX') return parseCycloneDx(body, new Reader());
  if (
    isObject(body) &&
    typeof body['@context'] === 'string' &&
    /^https?:\/\/openvex\.dev\/ns/.test(body['@context'])
  ) {
    return parseOpenVex(body, new Reader());
  }
  throw invalid(
    'body',
    'must be a CycloneDX VEX document (bomFormat CycloneDX) or an OpenVEX document (@context https://openvex.dev/ns/…)',
  );
}

function parseCycloneDx(body: Record<string, unknown>, read: Reader): ParsedVexDocument {
  const serial = read.optionalString(body['serialNumber'], 'serialNumber');
  const version =
    typeof body['version'] === 'number' && Number.isInteger(body['version']) ? body['version'] : null;
  const purlsByRef = componentPurls(body['components'], 'components', read, new Map(), 0);
  const vulnerabilities = read.array(
    body['vulnerabilities'],
    'vulnerabilities',
    VEX_DOCUMENT_LIMITS.statements,
  );
  const statements = vulnerabilities.map((entry, i): VexStatement => {
    const at = `vulnerabilities[${i}]`;
    const vulnerability = read.object(entry, at);
    const id = read.string(vulnerability['id'], `${at}.id`);
    const aliases = read
      .optionalArray(vulnerability['references'], `${at}.references`, VEX_DOCUMENT_LIMITS.aliases)
      .map((reference, r) =>
        read.string(read.object(reference, `${at}.references[${r}]`)['id'], `${at}.references[${r}].id`),
      );
    const products = read
      .optionalArray(vulnerability['affects'], `${at}.affects`, VEX_DOCUMENT_LIMITS.products)
      .flatMap((affect, a) => {
        read.product();
        const field = `${at}.affects[${a}].ref`;
        const ref = bomRefOf(
          read.string(
            read.object(affect, `${at}.affects[${a}]`)['ref'],
            field,
            VEX_DOCUMENT_LIMITS.refLength,
          ),
        );
        const product = productOf(purlsByRef.get(ref) ?? ref);
        return product ? [product] : [];
      });
    const analysis =
      vulnerability['analysis'] === undefined || vulnerability['analysis'] === null
        ? null
        : cycloneDxAnalysis(read.object(vulnerability['analysis'], `${at}.analysis`), `${at}.analysis`, read);
    return { at, vulnerability: id, ids: idsOf(id, aliases), products: unique(products), analysis };
  });
  return {
    format: 'cyclonedx',
    documentId: serial === null ? null : version === null ? serial : `${serial}/${version}`,
    statements,
  };
}

function cycloneDxAnalysis(analysis: Record<string, unknown>, at: string, read: Reader): VexAnalysis | null {
  const state = read.string(analysis['state'], `${at}.state`);
  const input = {
    // resolved_with_pedigree is resolved, with the proof in the component's pedigree.
    state: state === 'resolved_with_pedigree' ? 'resolved' : state,
    justification: read.optionalString(analysis['justification'], `${at}.justification`),
    responses: read
      .optionalArray(analysis['response'], `${at}.response`, 10)
      .map((response, r) => read.string(response, `${at}.response[${r}]`)),
    detail: clippedVexDetail(read.optionalString(analysis['detail'], `${at}.detail`, FREE_TEXT)),
  };
  return checked(input, (name) => `${at}.${name}`);
}

/** CycloneDX components' bom-refs to their purls (nested components too), for affects that name a bom-ref. */
function componentPurls(
  value: unknown,
  field: string,
  read: Reader,
  into: Map<string, string>,
  depth: number,
): Map<string, string> {
  if (depth > 8) throw invalid(field, 'must not nest components deeper than 8 levels');
  read.optionalArray(value, field, VEX_DOCUMENT_LIMITS.products).forEach((entry, c) => {
    read.product();
    const at = `${field}[${c}]`;
    const component = read.object(entry, at);
    const ref = read.optionalString(component['bom-ref'], `${at}.bom-ref`, VEX_DOCUMENT_LIMITS.refLength);
    const purl = read.optionalString(component['purl'], `${at}.purl`, VEX_DOCUMENT_LIMITS.refLength);
    if (ref !== null && purl !== null) into.set(ref, purl);
    componentPurls(component['components'], `${at}.components`, read, into, depth + 1);
  });
  return into;
}

/** The bom-ref an affect names: a BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`) or the bom-ref itself. */
function bomRefOf(ref: string): string {
  if (!/^urn:cdx:/i.test(ref)) return ref;
  const hash = ref.indexOf('#');
  if (hash < 0) return ref;
  try {
    return decodeURIComponent(ref.slice(hash + 1));
  } catch {
    return ref.slice(hash + 1);
  }
}

const OPENVEX_STATES: Record<string, string> = {
  not_affected: 'not_affected',
  affected: 'exploitable',
  fixed: 'resolved',
  under_investigation: 'in_triage',
};

/** OpenVEX's five justifications, each as the closest of CycloneDX's nine. */
const OPENVEX_JUSTIFICATIONS: Record<string, VexJustification> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

function parseOpenVex(body: Record<string, unknown>, read: Reader): ParsedVexDocument {
  const documentId = read.optionalString(body['@id'], '@id', VEX_DOCUMENT_LIMITS.refLength);
  const entries = read.array(body['statements'], 'statements', VEX_DOCUMENT_LIMITS.statements);
  const statements = entries.map((entry, i): VexStatement => {
    const at = `statements[${i}]`;
    const statement = read.object(entry, at);
    const { name, aliases } = openVexVulnerability(statement['vulnerability'], `${at}.vulnerability`, read);
    const products = [
      ...openVexProducts(statement['products'], `${at}.products`, read),
      // OpenVEX 0.0.x named the packages inside the product on the statement.
      ...openVexProducts(statement['subcomponents'], `${at}.subcomponents`, read),
    ];
    const status = read.string(statement['status'], `${at}.status`);
    const state = OPENVEX_STATES[status];
    if (!state) throw invalid(`${at}.status`, `must be one of ${Object.keys(OPENVEX_STATES).join(', ')}`);
    const justification = read.optionalString(statement['justification'], `${at}.justification`);
    if (justification !== null && !(justification in OPENVEX_JUSTIFICATIONS)) {
      throw invalid(
        `${at}.justification`,
        `must be one of ${Object.keys(OPENVEX_JUSTIFICATIONS).join(', ')}`,
      );
    }
    const detailField =
      status === 'affected'
        ? 'action_statement'
        : status === 'not_affected'
          ? 'impact_statement'
          : 'status_notes';
    const text = read.optionalString(statement[detailField], `${at}.${detailField}`, FREE_TEXT);
    const FIELDS: Record<string, string> = { state: 'status', detail: detailField };
    const analysis = checked(
      openVexDecision(state, justification === null ? null : OPENVEX_JUSTIFICATIONS[justification]!, text),
      (field) => `${at}.${FIELDS[field] ?? field}`,
    );
    return { at, vulnerability: name, ids: idsOf(name, aliases), products: unique(products), analysis };
  });
  return { format: 'openvex', documentId, statements };
}

/**
 * A statement's decision, reading back what RepoGuard's own export says in words: its false
 * positive impact statement is false_positive (whatever the justification it had to give), its
 * `Response: …` action statement the responses of exploitable.
 */
function openVexDecision(state: string, justification: VexJustification | null, text: string | null) {
  if (state === 'not_affected') {
    const impact = readImpactStatement(text);
    return impact.falsePositive
      ? { state: 'false_positive', detail: impact.detail }
      : { state, justification, detail: impact.detail };
  }
  if (state === 'exploitable') return { state, justification, ...readActionStatement(text) };
  return { state, justification, detail: clippedVexDetail(text) };
}

function openVexVulnerability(value: unknown, at: string, read: Reader): { name: string; aliases: string[] } {
  // OpenVEX 0.0.x gave the vulnerability as a plain id.
  if (typeof value === 'string') return { name: read.string(value, at), aliases: [] };
  const vulnerability = read.object(value, at);
  return {
    name: read.string(vulnerability['name'], `${at}.name`),
    aliases: read
      .optionalArray(vulnerability['aliases'], `${at}.aliases`, VEX_DOCUMENT_LIMITS.aliases)
      .map((alias, a) => read.string(alias, `${at}.aliases[${a}]`)),
  };
}

/** Products as purls: an `@id` that is a purl, `identifiers.purl`, and their subcomponents'. */
function openVexProducts(value: unknown, at: string, read: Reader): VexProduct[] {
  return read.optionalArray(value, at, VEX_DOCUMENT_LIMITS.products).flatMap((entry, p) => {
    read.product();
    const field = `${at}[${p}]`;
    if (typeof entry === 'string') {
      const product = productOf(read.string(entry, field, VEX_DOCUMENT_LIMITS.refLength));
      return product ? [product] : [];
    }
    const item = read.object(entry, field);
    const id = read.optionalString(item['@id'], `${field}.@id`, VEX_DOCUMENT_LIMITS.refLength);
    const identifiers =
      item['identifiers'] === undefined ? {} : read.object(item['identifiers'], `${field}.identifiers`);
    const purl = read.optionalString(
      identifiers['purl'],
      `${field}.identifiers.purl`,
      VEX_DOCUMENT_LIMITS.refLength,
    );
    const own = [id, purl].flatMap((candidate) => {
      const product = candidate === null ? null : productOf(candidate);
      return product ? [product] : [];
    });
    return [...own, ...openVexProducts(item['subcomponents'], `${field}.subcomponents`, read)];
  });
}

function checked(
  input: { state: string; justification?: string | null; responses?: string[]; detail?: string | null },
  field: (name: string) => string,
): VexAnalysis {
  const problems = vexDecisionProblems(input, field);
  if (problems.length > 0) {
    throw new ValidationError(`Invalid VEX document: check ${problems[0]!.field}`, problems, 'VEX_INVALID');
  }
  return checkedVexAnalysis(input);
}

const idsOf = (id: string, aliases: readonly string[]) => [
  ...new Set([id, ...aliases].map(canonicalAdvisoryId)),
];

function unique(products: readonly VexProduct[]): VexProduct[] {
  const seen = new Map(products.map((p) => [`${p.base}@${p.version ?? ''}`, p]));
  return [...seen.values()];
}

/**
 * How each purl type's names compare, as the purl spec and the ecosystem's registry name them (and
 * toPurl writes them): npm and Packagist names in any case, PyPI's as PEP 503 normalises them;
 * Maven, Go, Cargo and RubyGems names as written.
 */
const NAME_NORMALISERS: Readonly<Record<string, (segment: string) => string>> = {
  npm: (s) => s.toLowerCase(),
  composer: (s) => s.toLowerCase(),
  pypi: (s) => s.toLowerCase().replace(/[-_.]+/g, '-'),
};

/**
 * A purl as compared: type lower case, namespace and name decoded and normalised as the type's
 * registry compares names (NAME_NORMALISERS), version as given; qualifiers and subpath left out.
 * Null when it is not a purl.
 */
export function productOf(purl: string): VexProduct | null {
  if (!/^pkg:/i.test(purl)) return null;
  const rest = purl.slice(4).replace(/^\/+/, '').split('#')[0]!.split('?')[0]!;
  const at = rest.lastIndexOf('@');
  const slash = rest.lastIndexOf('/');
  const path = at > slash ? rest.slice(0, at) : rest;
  const segments = path.split('/').filter((s) => s.length > 0);
  if (segments.length < 2) return null;
  try {
    const decoded = segments.map(decodeURIComponent);
    const type = decoded[0]!.toLowerCase();
    const normalise = NAME_NORMALISERS[type] ?? ((s: string) => s);
    const version = at > slash ? decodeURIComponent(rest.slice(at + 1)) : '';
    return {
      base: [type, ...decoded.slice(1).map(normalise)].join('/'),
      version: version === '' ? null : version,
    };
  } catch {
    return null; // a malformed percent-encoding: no package anyone could match
  }
}

/** Whether a statement's product is this finding's package: a product without a version is every version. */
export function productMatches(product: VexProduct, finding: VexProduct): boolean {
  return product.base === finding.base && (product.version === null || product.version === finding.version);
}
