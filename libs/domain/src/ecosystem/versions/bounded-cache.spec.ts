import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('computes a key once and serves it from memory afterwards', () => {
    const cache = new BoundedCache<string>(10);
    const compute = jest.fn((key: string) => key.toUpperCase());
    expect(cache.get('a', compute)).toBe('A');
    expect(cache.get('a', compute)).toBe('A');
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('remembers null results too (invalid versions are asked about repeatedly)', () => {
    const cache = new BoundedCache<string | null>(10);
    const compute = jest.fn(() => null);
    expect(cache.get('junk', compute)).toBeNull();
    expect(cache.get('junk', compute)).toBeNull();
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('never holds more than its capacity, evicting the oldest entry first', () => {
    const cache = new BoundedCache<string>(2);
    const compute = jest.fn((key: string) => `${key}!`);
    cache.get('a', compute);
    cache.get('b', compute);
    cache.get('c', compute);
    expect(cache.size).toBe(2);
    cache.get('b', compute);
    cache.get('c', compute);
    expect(compute).toHaveBeenCalledTimes(3);
    cache.get('a', compute);
    expect(compute).toHaveBeenCalledTimes(4);
    expect(cache.size).toBe(2);
  });

  it('rejects a capacity that could not hold anything', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
    expect(() => new BoundedCache(1.5)).toThrow(RangeError);
  });
});
