import { isObject } from './is-object';

describe('isObject', () => {
  it.each([{}, { a: 1 }, Object.create(null) as object])('takes %p', (value) => {
    expect(isObject(value)).toBe(true);
  });

  it.each([null, undefined, [], [1], 'x', 1, true])('refuses %p', (value) => {
    expect(isObject(value)).toBe(false);
  });
});
