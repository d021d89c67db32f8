import { advisorySummary, MAX_ADVISORY_SUMMARY_LENGTH } from './advisory-summary';
import type { OsvRecord } from './osv-record';

const record = (id: string, summary?: unknown): OsvRecord =>
  ({ id, modified: '2026-01-01T00:00:00Z', ...(summary === undefined ? {} : { summary }) }) as OsvRecord;

describe('advisorySummary', () => {
  it('takes the first record with a summary, on one line', () => {
    expect(
      advisorySummary([record('A'), record('B', '  Prototype\n pollution  '), record('C', 'other')]),
    ).toBe('Prototype pollution');
  });

  it('is null when no record has a usable summary (missing, blank, not a string)', () => {
    expect(advisorySummary([undefined, record('A'), record('B', '   '), record('C', { x: 1 })])).toBeNull();
  });

  it('cuts a huge summary to the bound', () => {
    const summary = advisorySummary([record('A', 'x'.repeat(100_000))])!;
    expect(summary).toHaveLength(MAX_ADVISORY_SUMMARY_LENGTH);
    expect(summary.endsWith('…')).toBe(true);
  });
});
