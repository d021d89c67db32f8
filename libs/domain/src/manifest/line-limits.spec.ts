import { lineTooLong, MAX_LINE_LENGTH, splitBoundedLines } from './line-limits';

describe('splitBoundedLines', () => {
  it('empties only the lines over the limit, keeping the numbering, with a diagnostic for each', () => {
    const text = `a\r\n${'x'.repeat(11)}\nb\n${'y'.repeat(10)}\n${'z'.repeat(12)}`;
    expect(splitBoundedLines(text, 10)).toEqual({
      lines: ['a', '', 'b', 'y'.repeat(10), ''],
      diagnostics: [lineTooLong(2, 11, 10), lineTooLong(5, 12, 10)],
    });
  });

  it('defaults to MAX_LINE_LENGTH, 64 Ki characters', () => {
    expect(MAX_LINE_LENGTH).toBe(65_536);
    const { lines, diagnostics } = splitBoundedLines(
      `${'a'.repeat(MAX_LINE_LENGTH)}\n${'b'.repeat(MAX_LINE_LENGTH + 1)}`,
    );
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_LENGTH, 0]);
    expect(diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'LINE_TOO_LONG',
        message: `line 2 is ${MAX_LINE_LENGTH + 1} characters long, over the limit of ${MAX_LINE_LENGTH}; it was skipped`,
        line: 2,
      },
    ]);
  });
});
