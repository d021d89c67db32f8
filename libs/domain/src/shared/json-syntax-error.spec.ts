import { findJsonSyntaxError } from './json-syntax-error';

describe('findJsonSyntaxError', () => {
  it.each(['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ', '"text"', '0'])(
    'finds nothing wrong in %j',
    (text) => {
      expect(JSON.parse(text)).toBeDefined();
      expect(findJsonSyntaxError(text)).toBeNull();
    },
  );

  it.each([
    ['a trailing comma', '{\n  "a": 1,\n}', { line: 3, column: 1, reason: /property name/ }],
    ['a missing comma', '[\n  1\n  2\n]', { line: 3, column: 3, reason: /expected ',' or '\]'/ }],
    ['a bad escape', '{"a": "x\\q"}', { line: 1, column: 10, reason: /invalid escape/ }],
    ['a line break in a string', '["a\nb"]', { line: 1, column: 4, reason: /line break/ }],
    ['a bare word', '{"a": yes}', { line: 1, column: 7, reason: /expected a value/ }],
    ['content after the end', '{} {}', { line: 1, column: 4, reason: /after the end/ }],
    ['a missing colon', '{"a" 1}', { line: 1, column: 6, reason: /expected ':'/ }],
  ])('points at %s', (_what, text, expected) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const found = findJsonSyntaxError(text);
    expect(found).toMatchObject({ line: expected.line, column: expected.column });
    expect(found?.reason).toMatch(expected.reason);
    expect(found?.offset).toBe(
      text
        .split('\n')
        .slice(0, expected.line - 1)
        .join('\n').length +
        (expected.line > 1 ? 1 : 0) +
        expected.column -
        1,
    );
  });

  it('puts a truncated document at its end', () => {
    expect(findJsonSyntaxError('{"packages": [')).toMatchObject({ offset: 14, line: 1, column: 15 });
    expect(findJsonSyntaxError('{\n  "a": "unterminated')).toMatchObject({
      line: 2,
      reason: 'unterminated string',
    });
  });

  it('survives nesting deep enough to overflow a recursive reader', () => {
    const deep = '['.repeat(200_000);
    expect(findJsonSyntaxError(deep)).toMatchObject({ offset: 200_000, line: 1 });
  });
});
