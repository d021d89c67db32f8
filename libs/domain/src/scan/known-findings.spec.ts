import { AdvisoryIndex } from '../advisory/advisory-index';
import type { OsvRecord } from '../advisory/osv-record';
import { DEFAULT_POLICY } from '../policy/policy';
import { checkManifests } from './check-manifests';
import { KnownFindings } from './known-findings';

const record = (id: string, name: string, aliases: string[] = []): OsvRecord => ({
  id,
  aliases,
  modified: '2026-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'PyPI', name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
    },
  ],
  database_specific: { severity: 'CRITICAL' },
});

const index = new AdvisoryIndex([record('GHSA-1', 'alpha', ['CVE-1']), record('GHSA-2', 'beta')]);
const now = new Date('2026-06-01T00:00:00Z');
const files = [{ path: 'requirements.txt', text: 'alpha==1.0\nbeta==1.0\n' }];

describe('checkManifests with known findings', () => {
  it('leaves known findings out of the results and the verdict, and lists them as known', () => {
    const known = new KnownFindings([
      {
        manifestPath: 'requirements.txt',
        ecosystem: 'PyPI',
        name: 'alpha',
        vulnerabilityId: 'CVE-1',
        aliases: [],
      },
      {
        manifestPath: 'requirements.txt',
        ecosystem: 'PyPI',
        name: 'beta',
        vulnerabilityId: 'GHSA-2',
        aliases: [],
      },
    ]);
    const report = checkManifests(files, index, DEFAULT_POLICY, now, {}, { known });
    expect(report.results[0]!.findings).toEqual([]);
    expect(report.evaluation.status).toBe('OK');
    expect(report.known.map((f) => `${f.name} ${f.vulnerabilityId}`)).toEqual([
      'alpha GHSA-1',
      'beta GHSA-2',
    ]);
  });

  it('judges what the baseline does not have: another manifest, package or vulnerability', () => {
    const known = new KnownFindings([
      {
        manifestPath: 'other/requirements.txt',
        ecosystem: 'PyPI',
        name: 'alpha',
        vulnerabilityId: 'GHSA-1',
        aliases: [],
      },
      {
        manifestPath: 'requirements.txt',
        ecosystem: 'PyPI',
        name: 'beta',
        vulnerabilityId: 'GHSA-9',
        aliases: [],
      },
      {
        manifestPath: 'requirements.txt',
        ecosystem: 'npm',
        name: 'alpha',
        vulnerabilityId: 'GHSA-1',
        aliases: [],
      },
    ]);
    const report = checkManifests(files, index, DEFAULT_POLICY, now, {}, { known });
    expect(report.results[0]!.findings.map((f) => f.name)).toEqual(['alpha', 'beta']);
    expect([report.evaluation.status, report.known]).toEqual(['FAIL', []]);
  });
});
