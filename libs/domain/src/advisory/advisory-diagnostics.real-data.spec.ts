import { readOsvExport } from '@repoguard/infrastructure';
import { sharedOsvExport } from '../../../../test/support/shared-osv';
import { advisoryDiagnostics, summarizeAdvisoryDiagnostics } from './advisory-diagnostics';

const EXPORTS = ['PyPI-all.zip', 'PyPI-ghsa.zip', 'npm-ghsa.zip', 'Go-ghsa.zip', 'Maven-ghsa.zip'];

// Every event of the real exports that the schemes cannot read, found by hand (see the unit cases
// in range-events.spec.ts): each must surface as a diagnostic with the rule its case calls for.
describe('advisory diagnostics on the real OSV exports', () => {
  const records = EXPORTS.flatMap((file) => readOsvExport(sharedOsvExport(file)).records);

  it('names each unreadable event and the rule applied, and nothing else', () => {
    const found = records
      .flatMap(advisoryDiagnostics)
      .map((d) => `${d.advisoryId} ${d.package} ${d.event}=${d.value} ${d.rule}`)
      .sort();
    expect(found).toEqual([
      'GHSA-h755-8qp9-cq85 protobufjs fixed=7.2.4, 6.11.4 FIXED_PER_RELEASE_LINE',
      'GHSA-r683-j2x4-v87g node-fetch introduced=1.0 COERCED',
      'GHSA-v23v-6jw2-98fq github.com/docker/docker introduced=19.03.0 COERCED',
      'PYSEC-2019-125 steam fixed=2019-09-12 RANGE_LEFT_OPEN',
      'PYSEC-2021-371 binderhub fixed=0.2.0-n653 RANGE_LEFT_OPEN',
    ]);
  });

  it('counts how many records hit each rule', () => {
    const summary = summarizeAdvisoryDiagnostics(records);
    // Printed for the record of what real data holds; the assertion is the line above's data.
    process.stdout.write(
      `advisory diagnostics over ${records.length} records: ${JSON.stringify(summary.byRule)}\n`,
    );
    expect(summary).toMatchObject({
      total: 5,
      advisories: 5,
      byRule: { COERCED: 2, FIXED_PER_RELEASE_LINE: 1, RANGE_LEFT_OPEN: 2 },
    });
  });
});
