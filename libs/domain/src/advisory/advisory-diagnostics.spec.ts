import {
  AdvisoryDiagnosticsMemo,
  AdvisoryDiagnosticsSummarizer,
  DIAGNOSTIC_SAMPLE_SIZE,
  MAX_DIAGNOSTIC_TEXT,
  mergeAdvisoryDiagnostics,
  NO_ADVISORY_DIAGNOSTICS,
  summarizeAdvisoryDiagnostics,
} from './advisory-diagnostics';
import type { OsvEvent, OsvRecord } from './osv-record';

const HOSTILE_EVENTS = 100_000;

/** The review's record: 1.4 MB of `{"fixed":"x"}`, each unreadable, each a RANGE_LEFT_OPEN. */
function hostileRecord(id = 'GHSA-hostile', name = 'lodash'): OsvRecord {
  const events: OsvEvent[] = [{ introduced: '0' }];
  for (let i = 0; i < HOSTILE_EVENTS; i++) events.push({ fixed: 'x' });
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [
      { package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events }] },
      {
        package: { ecosystem: 'npm', name: 'other' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0' }] }],
      },
    ],
  };
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('advisory diagnostics a finding carries', () => {
  it('stay a few KB for a record of 100k unreadable events, counted in full', () => {
    const record = hostileRecord();
    const summary = new AdvisoryDiagnosticsMemo().forPackage(record, 'npm', 'lodash');
    expect(summary.total).toBe(HOSTILE_EVENTS);
    expect(summary.advisories).toBe(1);
    expect(summary.byRule).toEqual({ RANGE_LEFT_OPEN: HOSTILE_EVENTS });
    expect(summary.sample).toHaveLength(DIAGNOSTIC_SAMPLE_SIZE);
    expect(summary.sample[0]).toMatchObject({ advisoryId: record.id, event: 'fixed', value: 'x' });
    expect(jsonBytes(summary)).toBeLessThan(8 * 1024);
  });

  it('works a record out once, however many dependencies it matches, and again when it changes', () => {
    let reads = 0;
    const counted = (record: OsvRecord): OsvRecord =>
      new Proxy(record, {
        get(target, property, receiver) {
          if (property === 'affected') reads++;
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    const record = counted(hostileRecord());
    const memo = new AdvisoryDiagnosticsMemo();
    const first = memo.forPackage(record, 'npm', 'lodash');
    const readsForOne = reads;
    expect(readsForOne).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) expect(memo.forPackage(record, 'npm', 'lodash')).toBe(first);
    expect(memo.forPackage(record, 'npm', 'other').byRule).toEqual({ COERCED: 1 });
    expect(memo.forPackage(record, 'npm', 'unnamed')).toBe(NO_ADVISORY_DIAGNOSTICS);
    expect(reads).toBe(readsForOne);

    // A newer copy of the record (same id) is a different record.
    const newer = counted({ ...hostileRecord(), modified: '2025-01-01T00:00:00Z', affected: [] });
    expect(memo.forPackage(newer, 'npm', 'lodash')).toBe(NO_ADVISORY_DIAGNOSTICS);
    expect(reads).toBeGreaterThan(readsForOne);
  });

  it('cuts long ids, names and values in the sample', () => {
    const long = 'a'.repeat(50_000);
    const record: OsvRecord = {
      id: `GHSA-${long}`,
      modified: '2024-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: `pkg-${long}` },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `x${long}` }] }],
        },
      ],
    };
    const [shown] = new AdvisoryDiagnosticsMemo().forPackage(record, 'npm', `pkg-${long}`).sample;
    for (const text of [shown!.advisoryId, shown!.package, shown!.value, ...shown!.readAs])
      expect(text.length).toBeLessThanOrEqual(MAX_DIAGNOSTIC_TEXT + 1);
    expect(shown!.advisoryId.startsWith('GHSA-aaa')).toBe(true);
  });

  it('merges the advisories of an alias group: counts added, the sample still capped', () => {
    const memo = new AdvisoryDiagnosticsMemo();
    const a = memo.forPackage(hostileRecord('GHSA-a'), 'npm', 'lodash');
    const b = memo.forPackage(hostileRecord('GHSA-b'), 'npm', 'lodash');
    const merged = mergeAdvisoryDiagnostics([a, NO_ADVISORY_DIAGNOSTICS, b]);
    expect(merged).toMatchObject({
      total: 2 * HOSTILE_EVENTS,
      advisories: 2,
      byRule: { RANGE_LEFT_OPEN: 2 * HOSTILE_EVENTS },
    });
    expect(merged.sample).toHaveLength(DIAGNOSTIC_SAMPLE_SIZE);
    expect(mergeAdvisoryDiagnostics([])).toBe(NO_ADVISORY_DIAGNOSTICS);
  });

  it('keeps an import report small too', () => {
    const report = summarizeAdvisoryDiagnostics([hostileRecord('GHSA-a'), hostileRecord('GHSA-b')]);
    expect(report).toMatchObject({ total: 2 * HOSTILE_EVENTS + 2, advisories: 2 });
    expect(report.sample).toHaveLength(DIAGNOSTIC_SAMPLE_SIZE);
    expect(jsonBytes(report)).toBeLessThan(8 * 1024);
  });

  it('summarises one record at a time as it does a list, so an import need not hold its records', () => {
    const records = [hostileRecord('GHSA-a'), hostileRecord('GHSA-b', 'left-pad')];
    const summarizer = new AdvisoryDiagnosticsSummarizer();
    for (const record of records) summarizer.add(record);
    expect(summarizer.build()).toEqual(summarizeAdvisoryDiagnostics(records));
    expect(new AdvisoryDiagnosticsSummarizer().build()).toBe(NO_ADVISORY_DIAGNOSTICS);
  });
});
