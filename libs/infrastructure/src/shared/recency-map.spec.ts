import { RecencyMap } from './recency-map';

const order = (map: RecencyMap<string, number>) => {
  const keys: string[] = [];
  const copy = new RecencyMap<string, number>();
  for (let key; (key = map.oldestKey()) !== undefined;) {
    keys.push(key);
    copy.set(key, map.delete(key)!);
  }
  for (let key; (key = copy.oldestKey()) !== undefined;) map.set(key, copy.delete(key)!);
  return keys;
};

describe('RecencyMap', () => {
  it('keeps keys least recently used first: a use or a set moves a key last, a peek does not', () => {
    const map = new RecencyMap<string, number>();
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
    expect(order(map)).toEqual(['a', 'b', 'c', 'd']);
    expect(map.use('b')).toBe(1);
    expect(map.peek('a')).toBe(0);
    expect(order(map)).toEqual(['a', 'c', 'd', 'b']);
    map.set('a', 10);
    expect(order(map)).toEqual(['c', 'd', 'b', 'a']);
    expect(map.peek('a')).toBe(10);
    expect(map.use('d')).toBe(3);
    expect(map.use('d')).toBe(3);
    expect(order(map)).toEqual(['c', 'b', 'a', 'd']);
    expect(map.use('z')).toBeUndefined();
    expect(map.size).toBe(4);
  });

  it('deletes from anywhere in the order, and clears', () => {
    const map = new RecencyMap<string, number>();
    for (const [i, key] of ['a', 'b', 'c'].entries()) map.set(key, i);
    expect(map.delete('b')).toBe(1);
    expect(map.delete('b')).toBeUndefined();
    expect(map.has('b')).toBe(false);
    expect(order(map)).toEqual(['a', 'c']);
    expect(map.delete('c')).toBe(2);
    expect(map.delete('a')).toBe(0);
    expect(map.oldestKey()).toBeUndefined();
    map.set('x', 1);
    map.set('y', 2);
    expect(order(map)).toEqual(['x', 'y']);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.oldestKey()).toBeUndefined();
    map.set('z', 3);
    expect(order(map)).toEqual(['z']);
  });
});
