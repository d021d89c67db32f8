import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { isObject } from '../../../shared/is-object';

// Past this many distinct child names an element's children move from an object to a Map.
const MANY_CHILDREN = 32;

/**
 * An element that holds child elements: them by local name (a repeated name as an array, in
 * document order), its own text and its offsets in the document. An element of text alone is
 * its string. Children are read by name (`get`), never listed: listing a `<properties>` of
 * 100,000 names (`Object.entries`) and copying it into a Map was most of a parse.
 */
export class XmlElement {
  // A few children sit in an object, in shapes V8 shares between elements; many in a Map, as an
  // object of thousands of keys (dictionary mode) costs several times more per child.
  private few: Record<string, XmlValue> | undefined = {};
  private count = 0;
  private many: Map<string, XmlValue> | undefined;
  /** The text between its children (trimmed), absent when there is none. */
  text: string | undefined;
  /** Where its closing tag ends, when the reader tells. */
  end: number | undefined;

  constructor(readonly start: number | undefined) {}

  get(name: string): XmlValue | undefined {
    if (this.many) return this.many.get(name);
    const value = (this.few as Record<string, XmlValue>)[name];
    // What an object inherits (`toString`...) is a function; a child never is.
    return typeof value === 'function' ? undefined : value;
  }

  /** A child; a name met again makes (or extends) an array. */
  add(name: string, value: string | XmlElement): void {
    const earlier = this.get(name);
    if (earlier === undefined) this.set(name, value);
    else if (Array.isArray(earlier)) earlier.push(value);
    else this.set(name, [earlier, value]);
  }

  /** Sets a child by name, replacing any of that name. */
  set(name: string, value: XmlValue): void {
    if (this.many) {
      this.many.set(name, value);
      return;
    }
    const few = this.few as Record<string, XmlValue>;
    if (this.get(name) === undefined && ++this.count > MANY_CHILDREN) {
      this.many = new Map(Object.entries(few));
      this.many.set(name, value);
      this.few = undefined;
      return;
    }
    few[name] = value;
  }
}

export type XmlValue = string | XmlElement | (string | XmlElement)[];

export type XmlRead =
  { readonly project: XmlValue | undefined } | { readonly error: string; readonly line?: number };

interface OpenElement {
  readonly name: string;
  readonly start: number;
  /** Set once a child element appears; until then the element is text. */
  node?: XmlElement;
  text: string;
}

// `readXmlStrictly`'s bound (maxNestedTags: 100 below the root), with its error; refused here
// without reading further, as a validator pass over megabytes of unclosed tags is what costs.
const MAX_NESTED_ELEMENTS = 101;
const TOO_DEEP = 'Maximum nested tags exceeded';
/**
 * The longest tag (from `<` to its `>`) the validator is given. Its cost grows faster than the tag
 * (it builds the name and attributes a character at a time): 250 ms per MB for one tag of 4 MB.
 * Real POM tags are a few hundred characters.
 */
export const MAX_TAG_LENGTH = 64 * 1024;

// `<?` not opening `<?xml` followed by a space or `?>`; linear (no backtracking).
const OTHER_PROCESSING_INSTRUCTION = /<\?(?!xml[\s?])/;

/** Why saxes declined a document, for when fast-xml-parser's validator finds nothing wrong. */
interface Declined {
  readonly declined: string;
  readonly line: number;
}

/**
 * The document through saxes. What saxes declines goes to fast-xml-parser's validator, whose
 * messages are the ones of record; a document it accepts but saxes does not (a control character,
 * `]]>` in text, `<` in an attribute) is refused with saxes's reason rather than parsed by
 * fast-xml-parser, which costs ~200 ms per MB (one such character made any POM that slow).
 */
export function readPomXml(path: string, source: string): XmlRead {
  // A processing instruction other than the XML declaration (m2e's `<?m2e ignore?>`, or a damaged
  // declaration) goes to the reader of record alone: saxes and fast-xml-parser disagree on odd
  // ones (a quote in its text, a target that is not a name), and they are rare in POMs.
  if (OTHER_PROCESSING_INSTRUCTION.test(source)) return readXmlStrictly(path, source);
  const read = readXml(path, source);
  return 'declined' in read ? readXmlStrictly(path, source, read) : read;
}

/**
 * The document shaped as `readXmlStrictly` gives it (local names, trimmed text, repeats as arrays,
 * each element's offsets), read by saxes at a fraction of the cost, or why it declined what it does
 * not take as an ordinary POM (not well-formed, an element named `__proto__`), for `readPomXml`.
 * saxes expands XML's predefined entities and character references and leaves other entities as
 * written; a DOCTYPE is skipped, and a reference to an entity it may declare refuses the document.
 */
export function readXml(path: string, source: string): XmlRead | Declined {
  const parser = new SaxesParser();
  let declinedFor: Declined | undefined;
  const open: OpenElement[] = [];
  let root: XmlValue | undefined;
  let rootName = '';
  let declined = false;
  let tooDeep = false;
  const decline = () => {
    declined = true;
    // saxes reports through `error` and goes on; a throw is the way out of `write`.
    throw new Error('declined');
  };
  let doctype = false;
  let undefinedEntity: number | undefined;
  parser.on('error', (error) => {
    // An entity XML does not predefine stays as written (saxes goes on with `&name;`), as
    // fast-xml-parser leaves it (`&nbsp;` in a description). After a DOCTYPE it may be one the
    // DOCTYPE declares: like Maven, which reads a POM's DOCTYPE without resolving what it
    // declares, the document is refused.
    if (error.message.endsWith('undefined entity.')) {
      if (doctype) undefinedEntity ??= parser.line;
      return;
    }
    declinedFor ??= { declined: error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''), line: parser.line };
    decline();
  });
  parser.on('doctype', () => {
    doctype = true;
  });
  parser.on('opentagstart', (tag) => {
    if (open.length >= MAX_NESTED_ELEMENTS) {
      tooDeep = true;
      throw new Error(TOO_DEEP);
    }
    const name = tag.name.slice(tag.name.indexOf(':') + 1);
    // fast-xml-parser, which reads what is declined, would set it as a key of a plain object.
    if (name === '__proto__') {
      declinedFor ??= { declined: 'an element is named __proto__', line: parser.line };
      decline();
    }
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
    let value: XmlValue = element.text;
    if (element.node) {
      if (element.text !== '') element.node.text = element.text;
      element.node.end = parser.position;
      value = element.node;
    }
    const parent = open[open.length - 1];
    if (!parent) {
      root = value;
      rootName = element.name;
      return;
    }
    (parent.node ??= new XmlElement(parent.start)).add(element.name, value);
  });
  try {
    parser.write(source).close();
  } catch (error) {
    if (tooDeep) return { error: `${path} could not be read as XML: ${TOO_DEEP}` };
    if (declined) return declinedFor ?? { declined: 'not well-formed', line: parser.line };
    throw error;
  }
  if (undefinedEntity !== undefined)
    return {
      error: `${path} could not be read as XML: it refers to an entity its DOCTYPE declares, which is not read (as by Maven)`,
      line: undefinedEntity,
    };
  return { project: rootName === 'project' ? root : undefined };
}

/**
 * The document as fast-xml-parser reads it, through its validator: slow, but the reader of record
 * for anything `readXml` declines, so diagnostics and the DOCTYPE and nesting bounds stay its own.
 * A tag longer than MAX_TAG_LENGTH is refused before the validator sees it.
 */
export function readXmlStrictly(path: string, source: string, declined?: Declined): XmlRead {
  const long = firstLongTag(source);
  if (long !== undefined)
    return {
      error: `${path} could not be read as XML: a tag is longer than ${MAX_TAG_LENGTH} characters`,
      line: lineAt(source, long),
    };
  const validation = XMLValidator.validate(source);
  if (validation !== true)
    return { error: `${path} is not well-formed XML: ${validation.err.msg}`, line: validation.err.line };
  if (declined) return { error: `${path} is not well-formed XML: ${declined.declined}`, line: declined.line };

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
  return { project: isObject(document) ? fromParsed(document['project']) : undefined };
}

// `captureMetaData` puts each element's character offsets under this key.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** fast-xml-parser's tree (objects, arrays, strings) as `XmlValue`s. */
function fromParsed(value: unknown): XmlValue | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item) => fromParsed(item) as string | XmlElement);
  if (!isObject(value)) return typeof value === 'string' ? value : String(value);
  const meta = (value as Record<symbol, unknown>)[META];
  const start = isObject(meta) && typeof meta['startIndex'] === 'number' ? meta['startIndex'] : undefined;
  const element = new XmlElement(start);
  if (isObject(meta) && typeof meta['endIndex'] === 'number') element.end = meta['endIndex'];
  for (const [name, child] of Object.entries(value)) {
    if (name === '#text') element.text = typeof child === 'string' ? child : String(child);
    else element.set(name, fromParsed(child) as XmlValue);
  }
  return element;
}

const LT = 0x3c;
const GT = 0x3e;

/** What ends a tag name for the validator: `>` or one of its four whitespace characters. */
const endsName = (code: number) =>
  code === GT || code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * The offset of the first tag longer than MAX_TAG_LENGTH, read as the validator reads tags (a name
 * up to `>` or whitespace, then attributes up to a `>` outside quotes), skipping comments, CDATA,
 * the DOCTYPE and processing instructions as it does; undefined when there is none.
 */
function firstLongTag(source: string): number | undefined {
  const length = source.length;
  let i = source.indexOf('<');
  while (i !== -1) {
    const start = i;
    if (source.startsWith('<?', i)) i = after(source, '?>', i + 2);
    else if (source.startsWith('<!--', i)) i = after(source, '-->', i + 4);
    else if (source.startsWith('<![CDATA[', i)) i = after(source, ']]>', i + 9);
    else if (source.startsWith('<!DOCTYPE', i)) {
      // The validator counts angle brackets to find the DOCTYPE's end.
      let depth = 1;
      for (i += 9; i < length && depth > 0; i++) {
        const code = source.charCodeAt(i);
        if (code === LT) depth++;
        else if (code === GT) depth--;
      }
    } else if (source.startsWith('<!', i)) i += 2;
    else {
      i++;
      while (i < length && !endsName(source.charCodeAt(i))) i++;
      let quote = 0;
      for (; i < length; i++) {
        const code = source.charCodeAt(i);
        if (quote !== 0) {
          if (code === quote) quote = 0;
        } else if (code === 0x22 || code === 0x27) quote = code;
        else if (code === GT) break;
      }
      if (i - start > MAX_TAG_LENGTH) return start;
    }
    i = source.indexOf('<', i);
  }
  return undefined;
}

/** The offset just past `close`, searched from `from`; the end of `source` when it never comes. */
function after(source: string, close: string, from: number): number {
  const at = source.indexOf(close, from);
  return at === -1 ? source.length : at + close.length;
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
