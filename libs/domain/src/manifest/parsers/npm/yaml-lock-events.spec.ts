import fc from 'fast-check';
import { isMap, isScalar, LineCounter, parseDocument, stringify } from 'yaml';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { hostileText } from '../hostile-tokens.test-helper';
import type { YamlEntry } from './yaml-lock-document';
import { readYamlLockEvents } from './yaml-lock-events';

const fixture = manifestFixtures('npm');

/** What the yaml library (the reader the events replace) makes of a document: data and key lines. */
function composed(source: string) {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { schema: 'failsafe', lineCounter, uniqueKeys: false });
  const listed = (map: unknown): YamlEntry[] =>
    isMap(map)
      ? map.items.map((pair) => ({
          key: String(isScalar(pair.key) ? pair.key.value : pair.key),
          value: pair.value === null ? null : (document.createNode(pair.value).toJS(document) as unknown),
          line: lineCounter.linePos(isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0).line,
        }))
      : [];
  const root = document.contents;
  return {
    root: document.toJS() as unknown,
    rootEntries: listed(root),
    children: isMap(root) ? root.items.map((pair) => [String(pair.key), listed(pair.value)] as const) : [],
  };
}

function expectSameAsComposed(source: string): void {
  const expected = composed(source);
  const events = readYamlLockEvents(source, 400);
  expect(events).toBeDefined();
  expect(events?.root).toStrictEqual(expected.root);
  expect(events?.rootEntries).toStrictEqual(expected.rootEntries);
  for (const [key, entries] of expected.children) {
    if (entries.length > 0) expect(events?.childEntries.get(key)).toStrictEqual(entries);
  }
  // Every top-level mapping kept by key instead: the same entries, and the same data once asked for.
  const keys = expected.children.map(([key]) => key);
  const keyed = readYamlLockEvents(source, 400, keys);
  for (const [key, entries] of expected.children) {
    if (entries.length === 0) continue;
    expect([...(keyed?.keyed(key)?.values() ?? [])]).toStrictEqual(entries);
    expect([...(keyed?.keyed(key)?.keys() ?? [])]).toStrictEqual(entries.map((entry) => entry.key));
  }
  for (const key of keys) {
    expect(keyed?.get(key)).toStrictEqual(
      Object.hasOwn(expected.root as object, key) ? (expected.root as Record<string, unknown>)[key] : null,
    );
  }
  expect(keyed?.root).toStrictEqual(expected.root);
  expect(keyed?.rootEntries).toStrictEqual(expected.rootEntries);
}

describe('readYamlLockEvents', () => {
  it.each([
    'pnpm-v5.4/pnpm-lock.yaml',
    'pnpm-v6.0/pnpm-lock.yaml',
    'pnpm-v9.0/pnpm-lock.yaml',
    'yarn-berry/yarn.lock',
  ])('reads %s as the yaml library does: the same data and the same key lines', (path) => {
    expectSameAsComposed(fixture(path));
  });

  it('reads any YAML mapping of strings as the yaml library does', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.constantFrom('1.10', 'true', '~', 'null', '', '__proto__', '#x', '- a', 'a: b', "it's", '"q"', '\n'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 3 }),
      map: fc.dictionary(scalar, tie('node'), { maxKeys: 4 }),
    })).map;
    fc.assert(
      fc.property(value, fc.boolean(), (document, flow) => {
        // The generator's objects may hold `__proto__` as an own key; the yaml library writes it.
        expectSameAsComposed(stringify(document, { collectionStyle: flow ? 'flow' : 'any' }));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a syntax error', 'a: "open\nb: 1\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['an anchor', 'a: &x 1\n'],
    ['a tag', 'a: !!int 1\n'],
    ['a repeated key', 'a: 1\nb: 2\na: 3\n'],
    ['a repeated nested key', 'a:\n  b: 1\n  b: 2\n'],
    ['a collection as key', '? [a]\n: 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['nesting past maxDepth', `a: ${'['.repeat(50)}${']'.repeat(50)}\n`],
  ])('leaves a document with %s to the yaml library', (_, source) => {
    expect(readYamlLockEvents(source, 20)).toBeUndefined();
    expect(readYamlLockEvents(source, 20, ['a'])).toBeUndefined();
  });

  it('never throws on hostile text', () => {
    fc.assert(
      fc.property(
        hostileText([': ', '- ', '"', "'", '[', ']', '{', '}', '\n  ', '&a', '*a', '!t', '? ', '|']),
        (text) => {
          expect(() => readYamlLockEvents(text, 400)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps `__proto__` as an own key instead of replacing the prototype', () => {
    const events = readYamlLockEvents('__proto__:\n  polluted: yes\n', 10);
    expect(Object.getPrototypeOf(events?.root)).toBe(Object.prototype);
    expect(Object.hasOwn(events?.root as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
