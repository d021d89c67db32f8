import fc from 'fast-check';
import { catalogText, MalformedCatalog, OsvCatalogText } from './osv-catalog-text';
import type { CatalogEntry, OsvZipCatalog } from './osv-zip-catalog';

// Any text at all for ids and keys: tabs, newlines, quotes, NULs and astral characters included.
const text = fc.oneof(
  fc.constantFrom('a', 'b', 'a\tb', 'a\nb', '"', '\\', 'PyPI\u0000django'),
  fc.string({ unit: 'binary' }),
);
const entry = fc.record({
  name: fc.string(),
  offset: fc.nat(),
  compressedSize: fc.nat(),
  uncompressedSize: fc.nat(),
  method: fc.constantFrom(0, 8),
  records: fc.array(
    fc.record({
      id: text,
      modified: fc.string(),
      withdrawn: fc.boolean(),
      keys: fc.uniqueArray(text, { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  textAt: fc.nat(),
  textCrc: fc.nat({ max: 0xffffffff }),
});
const catalog = fc.record({
  entries: fc.array(entry, { maxLength: 12 }),
  problems: fc.array(fc.record({ entry: fc.string(), problem: fc.string() }), { maxLength: 2 }),
});

/** The entries naming or holding a value, by a walk of them all. */
function walked(c: OsvZipCatalog, holds: (e: CatalogEntry) => boolean): CatalogEntry[] {
  return c.entries.filter(holds);
}

describe('OsvCatalogText', () => {
  it('finds, by binary search of its text, exactly the entries a walk of the catalog finds, in catalog order', () => {
    fc.assert(
      fc.property(catalog, fc.array(text, { maxLength: 4 }), (c, absent) => {
        const text = catalogText(c);
        // Bytes sort as the sections were sorted only if every one is ASCII.
        expect(Buffer.from(text).every((byte) => byte < 0x80)).toBe(true);
        const read = OsvCatalogText.of(Buffer.from(text));
        expect(read.problems).toEqual(c.problems);
        expect(read.allEntries().map((e) => e.entry)).toEqual(c.entries);
        const positions = read.allEntries().map((e) => e.position);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        const keys = new Set(c.entries.flatMap((e) => e.records.flatMap((r) => r.keys)));
        const ids = new Set(c.entries.flatMap((e) => e.records.map((r) => r.id)));
        for (const key of [...keys, ...absent])
          expect(read.entriesNaming(key).map((e) => e.entry)).toEqual(
            walked(c, (e) => e.records.some((r) => r.keys.includes(key))),
          );
        for (const id of [...ids, ...absent])
          expect(read.entriesHolding(id).map((e) => e.entry)).toEqual(
            walked(c, (e) => e.records.some((r) => r.id === id)),
          );
      }),
      { numRuns: 300 },
    );
  });

  /** A catalog's text from its lines, the summary's bounds counted as catalogText counts them. */
  const textOf = (entries: string[], keys: string[], ids: string[]) => {
    const [e, k, i] = [entries, keys, ids].map((lines) => lines.map((line) => `${line}\n`).join('')) as [
      string,
      string,
      string,
    ];
    const summary = {
      problems: [],
      entries: entries.length,
      ecosystems: ['k1', 'k2'],
      keys: [e.length, e.length + k.length],
      ids: [e.length + k.length, e.length + k.length + i.length],
    };
    return `${JSON.stringify(summary)}\n${e}${k}${i}`;
  };
  const A = '["A.json",0,10,20,8,[["A","m",0,["k1"]]],0,7]';
  const B = '["B.json",50,10,20,8,[["B","m",0,["k2"]]],20,9]';
  const made = (b: string, k2: string) =>
    textOf([A, b], ['"k1"\t0', `"k2"\t${k2}`], ['"A"\t0', `"B"\t${A.length + 1}`]);

  it('reads the catalog the spoilt ones below are made from', () => {
    const text = made(B, String(A.length + 1));
    expect(text).toBe(
      catalogText(
        OsvCatalogText.of(Buffer.from(text))
          .allEntries()
          .reduce<OsvZipCatalog>((c, e) => ({ ...c, entries: [...c.entries, e.entry] }), {
            entries: [],
            problems: [],
          }),
      ),
    );
    expect(
      OsvCatalogText.of(Buffer.from(text))
        .entriesNaming('k2')
        .map((e) => e.entry.name),
    ).toEqual(['B.json']);
  });

  it.each([
    ['a key said to be named by an entry that does not name it', B, '0'],
    ['a position inside a line, not at its start', B, String(A.length + 2)],
    ['a position past the entries', B, '99999'],
    ['a position that is no number', B, 'x'],
    ['an entry line that is not an entry', B.replace('50', '-50'), String(A.length + 1)],
    ['an entry of another compression method', B.replace('20,8', '20,9'), String(A.length + 1)],
  ])('refuses, as it reads, %s', (_, b, k2) => {
    const read = OsvCatalogText.of(Buffer.from(made(b, k2)));
    expect(read.entriesNaming('k1').map((e) => e.entry.name)).toEqual(['A.json']);
    expect(() => read.entriesNaming('k2')).toThrow(MalformedCatalog);
  });

  it.each([
    ['no summary line', () => 'just text'],
    ['a summary that is not JSON', (t: string) => `{${t}`],
    [
      'sections past the end of the text',
      (t: string) => t.replace(/"ids":\[(\d+),\d+\]/, '"ids":[$1,99999]'),
    ],
    [
      'sections out of order',
      (t: string) =>
        t.replace(/"keys":\[(\d+),(\d+)\],"ids":\[(\d+),(\d+)\]/, '"keys":[$3,$4],"ids":[$1,$2]'),
    ],
  ])('refuses a text with %s', (_, spoil) => {
    const good = made(B, String(A.length + 1));
    const spoilt = spoil(good);
    expect(spoilt).not.toBe(good);
    expect(() => OsvCatalogText.of(Buffer.from(spoilt))).toThrow(MalformedCatalog);
  });
});
