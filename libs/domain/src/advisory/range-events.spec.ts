import fc from 'fast-check';
import { AdvisoryIndex } from './advisory-index';
import {
  advisoryDiagnostics,
  advisoryDiagnosticsFor,
  summarizeAdvisoryDiagnostics,
} from './advisory-diagnostics';
import { evaluateAffected } from './is-affected';
import type { OsvAffected, OsvRecord } from './osv-record';

const record = (id: string, affected: OsvAffected[]): OsvRecord => ({
  id,
  modified: '2026-01-01T00:00:00Z',
  affected,
});
const range = (ecosystem: string, name: string, events: object[], type = 'ECOSYSTEM'): OsvAffected =>
  ({ package: { ecosystem, name }, ranges: [{ type, events }] }) as OsvAffected;

/** Both evaluations, so the compiled matcher and the reference must agree on every case here. */
function verdicts(advisory: OsvRecord, version: string) {
  const affected = advisory.affected![0]!;
  const { ecosystem, name } = affected.package!;
  const reference = evaluateAffected(affected, ecosystem as 'npm', version);
  const [indexed] = new AdvisoryIndex([advisory]).match(ecosystem as 'npm', name, version);
  expect(indexed ? { affected: true, fixedVersions: indexed.fixedVersions } : { affected: false }).toEqual(
    reference.affected ? reference : { affected: false },
  );
  return reference;
}

describe('unparsable range events: the real cases', () => {
  // GHSA-r683-j2x4-v87g: introduced "1.0" is not SemVer; dropping the range missed node-fetch 2.x.
  const nodeFetch = record('GHSA-r683-j2x4-v87g', [
    range('npm', 'node-fetch', [{ introduced: '1.0' }, { fixed: '3.1.1' }]),
  ]);

  it.each([
    ['2.17.30', true],
    ['1.0.0', true],
    ['0.9.9', false],
    ['3.1.0', true],
    ['3.1.1', false],
  ])('node-fetch %s against introduced 1.0 / fixed 3.1.1 → affected %s', (version, affected) => {
    expect(verdicts(nodeFetch, version).affected).toBe(affected);
  });

  it('coerces introduced 1.0 to 1.0.0 and says so', () => {
    expect(advisoryDiagnostics(nodeFetch)).toEqual([
      {
        advisoryId: 'GHSA-r683-j2x4-v87g',
        ecosystem: 'npm',
        package: 'node-fetch',
        rangeType: 'ECOSYSTEM',
        code: 'UNPARSABLE_RANGE_EVENT',
        event: 'introduced',
        value: '1.0',
        rule: 'COERCED',
        readAs: ['introduced 1.0.0'],
      },
    ]);
    expect(verdicts(nodeFetch, '2.17.30').fixedVersions).toEqual(['3.1.1']);
  });

  // GHSA-h755-8qp9-cq85: one fixed event naming a fix on the 6.x line and one on the 7.x line.
  const protobufjs = record('GHSA-h755-8qp9-cq85', [
    range('npm', 'protobufjs', [{ introduced: '6.10.0' }, { fixed: '7.2.4, 6.11.4' }]),
  ]);

  it.each([
    ['6.9.9', false, []],
    ['6.10.0', true, ['6.11.4']],
    ['6.11.3', true, ['6.11.4']],
    ['6.11.4', false, []],
    ['6.12.0', false, []],
    ['7.0.0', true, ['7.2.4']],
    ['7.2.3', true, ['7.2.4']],
    ['7.2.4', false, []],
    ['8.0.0', false, []],
  ])('protobufjs %s against fixed "7.2.4, 6.11.4" → affected %s, fixed in %p', (version, affected, fixes) => {
    expect(verdicts(protobufjs, version)).toEqual(
      affected ? { affected, fixedVersions: fixes } : { affected, fixedVersions: [] },
    );
  });

  it('reads a fixed list as one fix per release line, and says so', () => {
    expect(advisoryDiagnostics(protobufjs)).toMatchObject([
      {
        event: 'fixed',
        value: '7.2.4, 6.11.4',
        rule: 'FIXED_PER_RELEASE_LINE',
        readAs: ['fixed 6.11.4', 'introduced 7.0.0', 'fixed 7.2.4'],
      },
    ]);
  });

  it('reads a list of fixes on one release line as its highest fix', () => {
    const sameLine = record('RG-SAME-LINE', [
      range('npm', 'example', [{ introduced: '1.0.0' }, { fixed: '1.2.3, 1.2.5' }]),
    ]);
    expect(verdicts(sameLine, '1.2.4')).toEqual({ affected: true, fixedVersions: ['1.2.5'] });
    expect(verdicts(sameLine, '1.2.5').affected).toBe(false);
    expect(advisoryDiagnostics(sameLine)).toMatchObject([
      { rule: 'LIST_HIGHEST_FIX', readAs: ['fixed 1.2.5'] },
    ]);
  });

  // PYSEC-2019-125 (steam) and PYSEC-2021-371 (binderhub): fixed "versions" PEP 440 cannot read.
  it.each([
    ['PYSEC-2019-125', 'steam', '2019-09-12', '1.4.4'],
    ['PYSEC-2021-371', 'binderhub', '0.2.0-n653', '0.2.0'],
  ])('%s: fixed %s leaves the range open (still affected, no fix suggested)', (id, name, fixed, version) => {
    const advisory = record(id, [range('PyPI', name, [{ introduced: '0' }, { fixed }])]);
    expect(verdicts(advisory, version)).toEqual({ affected: true, fixedVersions: [] });
    expect(verdicts(advisory, '99.0').affected).toBe(true);
    expect(advisoryDiagnostics(advisory)).toEqual([
      expect.objectContaining({ event: 'fixed', value: fixed, rule: 'RANGE_LEFT_OPEN', readAs: [] }),
    ]);
  });

  it('coerces a Go version with a leading zero (GHSA-v23v-6jw2-98fq: introduced 19.03.0)', () => {
    const docker = record('GHSA-v23v-6jw2-98fq', [
      range('Go', 'github.com/docker/docker', [{ introduced: '19.03.0' }, { fixed: '20.10.0' }]),
    ]);
    expect(verdicts(docker, 'v19.3.5').affected).toBe(true);
    expect(verdicts(docker, 'v19.2.0').affected).toBe(false);
    expect(advisoryDiagnostics(docker)).toMatchObject([{ rule: 'COERCED', readAs: ['introduced 19.3.0'] }]);
  });
});

describe('unparsable range events: one rule per case', () => {
  it('reads an unreadable introduced as 0: the range starts at the bottom', () => {
    const advisory = record('RG-INTRO', [
      range('npm', 'example', [{ introduced: 'a while ago' }, { fixed: '2.0.0' }]),
    ]);
    expect(verdicts(advisory, '0.0.1')).toEqual({ affected: true, fixedVersions: ['2.0.0'] });
    expect(verdicts(advisory, '2.0.0').affected).toBe(false);
    expect(advisoryDiagnostics(advisory)).toMatchObject([
      { event: 'introduced', value: 'a while ago', rule: 'INTRODUCED_AS_ZERO', readAs: ['introduced 0'] },
    ]);
  });

  it('coerces a partial fixed or last_affected version', () => {
    const fixed = record('RG-FIXED', [range('npm', 'example', [{ introduced: '0' }, { fixed: 'v2' }])]);
    expect(verdicts(fixed, '1.9.9')).toEqual({ affected: true, fixedVersions: ['2.0.0'] });
    expect(verdicts(fixed, '2.0.0').affected).toBe(false);
    const last = record('RG-LAST', [
      range('npm', 'example', [{ introduced: '0' }, { last_affected: '2.1' }]),
    ]);
    expect(verdicts(last, '2.1.0').affected).toBe(true);
    expect(verdicts(last, '2.1.1').affected).toBe(false);
    expect(advisoryDiagnostics(last)).toMatchObject([{ rule: 'COERCED', readAs: ['last_affected 2.1.0'] }]);
  });

  it('keeps the range open past an unreadable last_affected, and ignores an unreadable limit', () => {
    const advisory = record('RG-OPEN', [
      range('npm', 'example', [{ introduced: '1.0.0' }, { last_affected: 'latest' }, { limit: 'someday' }]),
    ]);
    expect(verdicts(advisory, '5.0.0').affected).toBe(true);
    expect(advisoryDiagnostics(advisory).map((d) => d.rule)).toEqual(['RANGE_LEFT_OPEN', 'LIMIT_IGNORED']);
  });

  it('reads SEMVER ranges with SemVer whatever the ecosystem, coercing there too', () => {
    const advisory = record('RG-SEMVER', [
      range('PyPI', 'example', [{ introduced: '1.2' }, { fixed: '1.4' }], 'SEMVER'),
    ]);
    expect(verdicts(advisory, '1.3.0').affected).toBe(true);
    expect(advisoryDiagnostics(advisory)).toMatchObject([
      { rangeType: 'SEMVER', rule: 'COERCED', readAs: ['introduced 1.2.0'] },
      { rangeType: 'SEMVER', rule: 'COERCED', readAs: ['fixed 1.4.0'] },
    ]);
  });

  it('names malformed events and ranges instead of failing', () => {
    const advisory = {
      id: 'RG-SHAPES',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        { package: { ecosystem: 'npm', name: 'example' }, ranges: [{ type: 'ECOSYSTEM', events: 'soon' }] },
        {
          package: { ecosystem: 'npm', name: 'example' },
          ranges: [{ type: 'ECOSYSTEM', events: [null, { introduced: 7 }, { fixed: '2.0.0' }] }],
        },
        {
          package: { ecosystem: 'npm', name: 'example' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '1.0.0' }] }],
        },
      ],
    } as unknown as OsvRecord;
    expect(advisoryDiagnostics(advisory).map((d) => [d.code, d.event, d.value, d.rule])).toEqual([
      ['MALFORMED_RANGE', 'events', 'soon', 'RANGE_SKIPPED'],
      ['UNPARSABLE_RANGE_EVENT', 'events', 'null', 'EVENT_SKIPPED'],
      ['UNPARSABLE_RANGE_EVENT', 'introduced', '7', 'INTRODUCED_AS_ZERO'],
      ['MALFORMED_RANGE', 'events', '[{"fixed":"1.0.0"}]', 'RANGE_SKIPPED'],
    ]);
    expect(new AdvisoryIndex([advisory]).match('npm', 'example', '1.5.0').map((m) => m.record.id)).toEqual([
      'RG-SHAPES',
    ]);
  });

  it('attaches to a finding only the diagnostics of the package it is about, and summarises an import', () => {
    const advisory = record('RG-TWO', [
      range('PyPI', 'Django_REST.framework', [{ introduced: '0' }, { fixed: 'soon' }]),
      range('PyPI', 'other', [{ introduced: 'x' }]),
    ]);
    expect(advisoryDiagnosticsFor(advisory, 'PyPI', 'django-rest-framework').map((d) => d.rule)).toEqual([
      'RANGE_LEFT_OPEN',
    ]);
    expect(summarizeAdvisoryDiagnostics([advisory, record('RG-CLEAN', [])])).toEqual({
      total: 2,
      advisories: 1,
      byRule: { INTRODUCED_AS_ZERO: 1, RANGE_LEFT_OPEN: 1 },
      sample: advisoryDiagnostics(advisory),
    });
  });
});

describe('no record shape throws in the matcher', () => {
  const version = fc.oneof(
    fc.constantFrom('0', '1.0', '1.0.0', 'v2', '7.2.4, 6.11.4', '2019-09-12', '0.2.0-n653', '*', ''),
    fc.string({ maxLength: 12 }),
  );
  const anything = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
    version,
    fc.object({ maxDepth: 1 }),
  );
  const event = fc.oneof(
    fc.record({ introduced: version }),
    fc.record({ fixed: version }),
    fc.record({ last_affected: version }),
    fc.record({ limit: version }),
    fc.dictionary(fc.constantFrom('introduced', 'fixed', 'last_affected', 'limit', 'other'), anything),
    anything,
  );
  const rangeShape = fc.oneof(
    fc.record({
      type: fc.constantFrom('ECOSYSTEM', 'SEMVER', 'GIT', 'OTHER'),
      events: fc.oneof(fc.array(event, { maxLength: 6 }), anything),
    }),
    anything,
  );
  const affected = fc.oneof(
    fc.record(
      {
        package: fc.oneof(
          fc.record({
            ecosystem: fc.constantFrom(
              'npm',
              'PyPI',
              'Go',
              'Maven',
              'crates.io',
              'RubyGems',
              'Packagist',
              'Nope',
            ),
            name: fc.constantFrom('pkg', 'Pkg'),
          }),
          anything,
        ),
        ranges: fc.oneof(fc.array(rangeShape, { maxLength: 3 }), anything),
        versions: fc.oneof(fc.array(anything, { maxLength: 3 }), anything),
      },
      { requiredKeys: [] },
    ),
    anything,
  );
  const records = fc.array(
    fc.record({
      id: fc.constantFrom('A', 'B', 'C'),
      modified: fc.constant('2026-01-01T00:00:00Z'),
      affected: fc.oneof(fc.array(affected, { maxLength: 3 }), anything),
    }),
    { maxLength: 4 },
  );

  it('indexes, matches, evaluates and diagnoses any shape without throwing', () => {
    fc.assert(
      fc.property(records, version, (shapes, asked) => {
        const recs = shapes as unknown as OsvRecord[];
        const index = new AdvisoryIndex(recs);
        for (const ecosystem of ['npm', 'PyPI', 'Go', 'Maven'] as const) {
          for (const name of ['pkg', 'Pkg']) index.match(ecosystem, name, asked);
        }
        for (const r of recs) {
          advisoryDiagnostics(r);
          for (const a of Array.isArray(r.affected) ? r.affected : []) evaluateAffected(a, 'npm', asked);
        }
        summarizeAdvisoryDiagnostics(recs);
      }),
      { numRuns: 2000 },
    );
  });
});
