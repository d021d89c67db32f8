import { jsonNestingPastLimit, MAX_JSON_NESTING } from './json-nesting';

describe('jsonNestingPastLimit', () => {
  it('finds the line where arrays and objects first nest past the limit', () => {
    expect(jsonNestingPastLimit('{"a": [\n  {"b": [1]}\n]}', 3)).toBe(2);
    expect(jsonNestingPastLimit('{"a": [\n  {"b": 1}\n]}', 3)).toBeUndefined();
  });

  it('counts only brackets outside strings, escaped quotes included', () => {
    expect(jsonNestingPastLimit(`{"k": "[[[[\\"[[[["}`, 1)).toBeUndefined();
    expect(jsonNestingPastLimit(`["\\\\", [[1]]]`, 2)).toBe(1);
  });

  it('allows MAX_JSON_NESTING levels and no more', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(jsonNestingPastLimit(nested(MAX_JSON_NESTING))).toBeUndefined();
    expect(jsonNestingPastLimit(nested(MAX_JSON_NESTING + 1))).toBe(1);
  });
});
