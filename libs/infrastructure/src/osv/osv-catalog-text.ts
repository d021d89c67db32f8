import { compareText } from '@repoguard/domain';
import type { CatalogEntry, CatalogRecord, OsvZipCatalog } from './osv-zip-catalog';

/**
 * A zip catalog as kept between checks, read in place: a check looks up the few packages it
 * scans and the ids of the records naming them, and parses only the lines about those, not every
 * record of the zip (PyPI's whole export when only npm packages are scanned). The summary line is
 * read first and the rest only when a lookup needs it: a check of npm packages reads no more of
 * the catalog of PyPI's zip than its summary. The rest is read as the file's bytes, never decoded
 * whole: a large string is allocated young in V8, and two catalogs' were a garbage collection of
 * their own in a small check.
 *
 * A summary line (the zip's problems, how many entries, where the sections are), then one line
 * per entry in catalog order ([name, offset, compressed, uncompressed, method, records, textAt,
 * textCrc]), then
 * two sorted sections of `<JSON string>\t<position>,<position>...`: each package key, and each
 * record id, with where the lines of the entries naming or holding it start. Positions are byte
 * offsets from the first entry line, so they rise in catalog order. The JSON is all ASCII (see
 * asciiJson): byte order is the order the sections are sorted in, and JSON strings escape every
 * control character, so a key never holds the tab or newline the lines are cut at.
 */
export class OsvCatalogText {
  readonly problems: readonly { readonly entry: string; readonly problem: string }[];
  /** Entries in catalog order. */
  readonly entryCount: number;
  /** What the keys name before their NUL (advisoryKey): the ecosystems, PyPI's zip naming PyPI's alone. */
  private readonly ecosystems: ReadonlySet<string>;
  private readonly sections: { readonly keys: unknown; readonly ids: unknown };
  private readonly loadBody: () => Buffer | undefined;
  private loaded: CatalogBody | undefined;

  /** A catalog's whole text (as catalogText makes it), checked now. Throws MalformedCatalog. */
  static of(text: Buffer): OsvCatalogText {
    const end = text.indexOf(NEWLINE);
    if (end < 0) throw new MalformedCatalog();
    const catalog = new OsvCatalogText(text.subarray(0, end), () => text.subarray(end + 1));
    catalog.body();
    return catalog;
  }

  /**
   * The summary line (without its newline), and what reads the rest when a lookup first needs it:
   * a check of npm packages never reads the body of PyPI's catalog. Throws MalformedCatalog when
   * the summary is not one; a body that cannot be read or does not fit the summary throws it at
   * that lookup.
   */
  constructor(summaryLine: Buffer, loadBody: () => Buffer | undefined) {
    const summary = expectObject(parseJson(summaryLine.toString('utf8')));
    this.problems = expectArray(summary['problems']).map((raw) => {
      const [entry, problem, ...rest] = expectArray(raw);
      if (rest.length > 0) throw new MalformedCatalog();
      return { entry: expectString(entry), problem: expectString(problem) };
    });
    this.entryCount = expectCount(summary['entries']);
    this.ecosystems = new Set(expectArray(summary['ecosystems']).map(expectString));
    this.sections = { keys: summary['keys'], ids: summary['ids'] };
    this.loadBody = loadBody;
  }

  /** The entries holding a record that names the package key, each checked to. */
  entriesNaming(key: string): CatalogEntryAt[] {
    // A check of npm packages does not search the keys of a zip of PyPI's advisories.
    if (!this.ecosystems.has(ecosystemOf(key))) return [];
    return this.lookUp('keys', key, (entry) => entry.records.some((r) => r.keys.includes(key)));
  }

  /** The entries holding a record with this id, each checked to. */
  entriesHolding(id: string): CatalogEntryAt[] {
    return this.lookUp('ids', id, (entry) => entry.records.some((r) => r.id === id));
  }

  /** Every entry, in catalog order (what a check needs when it replays every record). */
  allEntries(): CatalogEntryAt[] {
    const { bytes, keys } = this.body();
    const entries: CatalogEntryAt[] = [];
    let at = 0;
    for (let i = 0; i < this.entryCount; i++) {
      const end = bytes.indexOf(NEWLINE, at);
      if (end < 0 || end >= keys.start) throw new MalformedCatalog();
      entries.push({ position: at, entry: entryAt(bytes, at, end) });
      at = end + 1;
    }
    if (at !== keys.start) throw new MalformedCatalog();
    return entries;
  }

  /** The body, read and checked against the summary the first time a lookup needs it. */
  private body(): CatalogBody {
    if (this.loaded) return this.loaded;
    const bytes = this.loadBody();
    if (bytes === undefined) throw new MalformedCatalog();
    const keys = sectionFrom(this.sections.keys, bytes.length);
    const ids = sectionFrom(this.sections.ids, bytes.length);
    if (ids.start < keys.end) throw new MalformedCatalog();
    this.loaded = { bytes, keys, ids };
    return this.loaded;
  }

  /** Binary search of a sorted section for `<JSON of value>\t`: the entries it lists, checked. */
  private lookUp(
    which: 'keys' | 'ids',
    value: string,
    holds: (entry: CatalogEntry) => boolean,
  ): CatalogEntryAt[] {
    const body = this.body();
    const { bytes } = body;
    const section = body[which];
    const wanted = Buffer.from(asciiJson(value), 'latin1');
    let low = section.start;
    let high = section.end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      // Buffer#lastIndexOf counts a negative offset from the end: never ask it for one.
      const lineStart = middle === 0 ? 0 : Math.max(low, bytes.lastIndexOf(NEWLINE, middle - 1) + 1);
      const tab = bytes.indexOf(TAB, lineStart);
      const lineEnd = bytes.indexOf(NEWLINE, lineStart);
      if (tab < 0 || lineEnd < 0 || tab > lineEnd || lineEnd >= high) throw new MalformedCatalog();
      const order = bytes.compare(wanted, 0, wanted.length, lineStart, tab);
      if (order === 0) return entriesAt(body, bytes.toString('latin1', tab + 1, lineEnd), holds);
      if (order < 0) low = lineEnd + 1;
      else high = lineStart;
    }
    return [];
  }
}

/** A catalog's lines after the summary, and where its sorted sections are in them. */
interface CatalogBody {
  readonly bytes: Buffer;
  readonly keys: Section;
  readonly ids: Section;
}

function entriesAt(
  body: CatalogBody,
  list: string,
  holds: (entry: CatalogEntry) => boolean,
): CatalogEntryAt[] {
  const { bytes, keys } = body;
  const found: CatalogEntryAt[] = [];
  for (const text of list.split(',')) {
    const at = Number(text);
    if (!Number.isSafeInteger(at) || at < 0 || at >= keys.start) throw new MalformedCatalog();
    if (at !== 0 && bytes[at - 1] !== NEWLINE) throw new MalformedCatalog();
    const entry = entryAt(bytes, at, bytes.indexOf(NEWLINE, at));
    if (!holds(entry)) throw new MalformedCatalog();
    found.push({ position: at, entry });
  }
  return found;
}

function entryAt(bytes: Buffer, start: number, end: number): CatalogEntry {
  return entryFrom(parseJson(bytes.toString('utf8', start, end)));
}

/** A key's part before its NUL (advisoryKey puts the ecosystem there); the whole of any other. */
function ecosystemOf(key: string): string {
  const nul = key.indexOf('\u0000');
  return nul < 0 ? key : key.slice(0, nul);
}

/**
 * JSON with every character outside ASCII escaped (`\u00e9`), as JSON.parse reads it back: its
 * bytes sort as its characters do, and a reader may cut and compare them without decoding.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    NOT_ASCII,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
const NOT_ASCII = /[\u0080-\uffff]/g;

const NEWLINE = 0x0a;
const TAB = 0x09;

/** An entry and where its line starts: positions rise in catalog order, the order records are added in. */
export interface CatalogEntryAt {
  readonly position: number;
  readonly entry: CatalogEntry;
}

/** What a catalog file that does not hold a well-formed catalog throws. */
export class MalformedCatalog extends Error {}

/** The text OsvCatalogText reads (all ASCII), for a catalog made from a zip. */
export function catalogText(catalog: OsvZipCatalog): string {
  const lines: string[] = [];
  const byKey = new Map<string, number[]>();
  const byId = new Map<string, number[]>();
  const note = (map: Map<string, number[]>, value: string, at: number) => {
    const list = map.get(value);
    if (!list) map.set(value, [at]);
    else if (list[list.length - 1] !== at) list.push(at);
  };
  let at = 0;
  for (const entry of catalog.entries) {
    const line = asciiJson([
      entry.name,
      entry.offset,
      entry.compressedSize,
      entry.uncompressedSize,
      entry.method,
      entry.records.map((r) => [r.id, r.modified, r.withdrawn ? 1 : 0, r.keys]),
      entry.textAt,
      entry.textCrc,
    ]);
    for (const record of entry.records) {
      note(byId, record.id, at);
      for (const key of record.keys) note(byKey, key, at);
    }
    lines.push(`${line}\n`);
    at += line.length + 1;
  }
  const section = (map: Map<string, number[]>) =>
    [...map]
      .map(([value, list]) => `${asciiJson(value)}\t${list.join(',')}\n`)
      .sort(compareText)
      .join('');
  const keys = section(byKey);
  const ids = section(byId);
  const summary = asciiJson({
    problems: catalog.problems.map((p) => [p.entry, p.problem]),
    entries: catalog.entries.length,
    ecosystems: [...new Set([...byKey.keys()].map(ecosystemOf))].sort(compareText),
    keys: [at, at + keys.length],
    ids: [at + keys.length, at + keys.length + ids.length],
  });
  return `${summary}\n${lines.join('')}${keys}${ids}`;
}

interface Section {
  readonly start: number;
  readonly end: number;
}

function sectionFrom(raw: unknown, length: number): Section {
  const [start, end, ...rest] = expectArray(raw);
  const section = { start: expectCount(start), end: expectCount(end) };
  if (rest.length > 0 || section.end < section.start || section.end > length) throw new MalformedCatalog();
  return section;
}

function entryFrom(raw: unknown): CatalogEntry {
  const [name, offset, compressedSize, uncompressedSize, method, records, textAt, textCrc, ...rest] =
    expectArray(raw);
  if (rest.length > 0) throw new MalformedCatalog();
  const entry = {
    name: expectString(name),
    offset: expectCount(offset),
    compressedSize: expectCount(compressedSize),
    uncompressedSize: expectCount(uncompressedSize),
    method: expectCount(method),
    records: expectArray(records).map(recordFrom),
    textAt: expectCount(textAt),
    textCrc: expectCount(textCrc),
  };
  if (entry.method !== 0 && entry.method !== 8) throw new MalformedCatalog();
  return entry;
}

function recordFrom(raw: unknown): CatalogRecord {
  const [id, modified, withdrawn, keys, ...rest] = expectArray(raw);
  if (rest.length > 0 || (withdrawn !== 0 && withdrawn !== 1)) throw new MalformedCatalog();
  return {
    id: expectString(id),
    modified: expectString(modified),
    withdrawn: withdrawn === 1,
    keys: expectArray(keys).map(expectString),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedCatalog();
  }
}

function expectObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedCatalog();
  return value as Record<string, unknown>;
}
function expectArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new MalformedCatalog();
  return value;
}
function expectString(value: unknown): string {
  if (typeof value !== 'string') throw new MalformedCatalog();
  return value;
}
function expectCount(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new MalformedCatalog();
  return value as number;
}
