import { DEFAULT_POLICY } from './policy';
import { judgeFindings, verdictLapsesAt } from './judge-findings';
import { parsePolicy } from './policy';
import type { CurrentFinding } from '../finding/current-finding';
import { COMPLETE, snapshotCompleteness } from '../dependency/snapshot-completeness';

const finding = (over: Partial<CurrentFinding> = {}): CurrentFinding => ({
  ecosystem: 'PyPI',
  packageName: 'django',
  version: '1.11.0',
  manifestPath: 'requirements.txt',
  vulnerabilityId: 'GHSA-xxxx-yyyy-zzzz',
  aliases: ['CVE-2019-0001'],
  severity: 'CRITICAL',
  cvssScore: 9.8,
  fixedVersions: ['1.11.29'],
  status: 'open',
  triageExpiresAt: null,
  ...over,
});
const NOW = new Date('2026-11-30T12:00:00Z');

describe('judgeFindings', () => {
  it('fails an open CRITICAL finding under the default policy', () => {
    expect(judgeFindings(DEFAULT_POLICY, [finding()], [], NOW, COMPLETE).status).toBe('FAIL');
  });

  it('leaves out a finding ignored by triage while the decision holds', () => {
    const ignored = finding({ status: 'ignored', triageExpiresAt: new Date('2026-12-31T00:00:00Z') });
    expect(judgeFindings(DEFAULT_POLICY, [ignored], [], NOW, COMPLETE).status).toBe('OK');
  });

  it('counts an ignore decision past its expiry as open again', () => {
    const lapsed = finding({ status: 'ignored', triageExpiresAt: new Date('2026-11-01T00:00:00Z') });
    expect(judgeFindings(DEFAULT_POLICY, [lapsed], [], NOW, COMPLETE).status).toBe('FAIL');
  });

  it('warns, with no finding at all, when the scan could not read a manifest', () => {
    const broken = snapshotCompleteness([
      {
        path: 'package-lock.json',
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX', message: 'not JSON', line: 1 }],
      },
    ]);
    const verdict = judgeFindings(DEFAULT_POLICY, [], [], NOW, broken);
    expect(verdict.status).toBe('WARN');
    expect(verdict.reasons.map((r) => r.rule)).toEqual(['incomplete']);
  });
});

describe('verdictLapsesAt', () => {
  const at = (iso: string) => new Date(iso);

  it('is the first expiry ahead among the ignore decisions in force', () => {
    const findings = [
      finding({ status: 'ignored', triageExpiresAt: at('2026-12-31T00:00:00Z') }),
      finding({ vulnerabilityId: 'GHSA-2', status: 'ignored', triageExpiresAt: at('2026-12-05T00:00:00Z') }),
      finding({ vulnerabilityId: 'GHSA-3', status: 'ignored', triageExpiresAt: null }),
      // Lapsed already: judged open now, nothing left to lapse.
      finding({ vulnerabilityId: 'GHSA-4', status: 'ignored', triageExpiresAt: at('2026-11-01T00:00:00Z') }),
    ];
    expect(verdictLapsesAt(DEFAULT_POLICY, findings, NOW)).toEqual(at('2026-12-05T00:00:00Z'));
  });

  it('counts a policy ignore rule with an expiry only when it names a current finding (or an alias)', () => {
    const rules = parsePolicy({
      ignore: [
        { id: 'CVE-2019-0001', reason: 'r', expires_at: '2026-12-20T00:00:00Z' },
        { id: 'CVE-unrelated', reason: 'r', expires_at: '2026-12-02T00:00:00Z' },
        { id: 'CVE-2019-0001', reason: 'r', expires_at: '2026-01-01T00:00:00Z' },
      ],
    });
    expect(verdictLapsesAt(rules, [finding()], NOW)).toEqual(at('2026-12-20T00:00:00Z'));
  });

  it('is null when no ignore in force has an expiry', () => {
    expect(verdictLapsesAt(DEFAULT_POLICY, [finding(), finding({ status: 'ignored' })], NOW)).toBeNull();
  });
});
