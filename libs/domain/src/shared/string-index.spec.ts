import fc from 'fast-check';
import { StringIndex } from './string-index';

type Operation = { kind: 'get' | 'add'; key: string; value: number };

/** Runs the operations on a StringIndex and on a Map and returns both answers in order. */
function both(operations: readonly Operation[], index: StringIndex): [unknown[], unknown[]] {
  const map = new Map<string, number>();
  const fromIndex: unknown[] = [];
  const fromMap: unknown[] = [];
  for (const { kind, key, value } of operations) {
    if (kind === 'get') {
      fromIndex.push(index.get(key));
      fromMap.push(map.get(key));
    } else {
      fromIndex.push(index.getOrAdd(key, value));
      const known = map.get(key);
      if (known === undefined) map.set(key, value);
      fromMap.push(known);
    }
  }
  return [fromIndex, fromMap];
}

// Few distinct keys so that operations meet the same ones; any UTF-16 text, lone surrogates too.
const operation = fc.record({
  kind: fc.constantFrom<'get' | 'add'>('get', 'add'),
  key: fc.oneof(
    fc.constantFrom('', 'a', 'A', 'a\u0000', '\uD800', 'package-1'),
    fc.string({ unit: 'binary' }),
  ),
  value: fc.nat({ max: 2 ** 31 - 2 }),
});

describe('StringIndex', () => {
  it('answers every get and getOrAdd as a Map would', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const [fromIndex, fromMap] = both(operations, new StringIndex());
        expect(fromIndex).toEqual(fromMap);
      }),
    );
  });

  it('answers the same once colliding keys move it onto a Map', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), fc.nat({ max: 2 }), (operations, maxProbes) => {
        const [fromIndex, fromMap] = both(operations, new StringIndex(maxProbes));
        expect(fromIndex).toEqual(fromMap);
      }),
    );
  });

  it('keeps every key of a large index through its growth', () => {
    const index = new StringIndex();
    const keys = Array.from({ length: 50_000 }, (_, i) => `package-${i}`);
    const added = keys.map((key, i) => index.getOrAdd(key, i));
    expect(added.filter((answer) => answer !== undefined)).toEqual([]);
    expect(keys.filter((key, i) => index.get(key) !== i)).toEqual([]);
    expect(index.getOrAdd('package-7', 1)).toBe(7);
    expect(index.get('package-50000')).toBeUndefined();
  });
});
