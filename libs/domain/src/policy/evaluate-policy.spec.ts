import { evaluatePolicy, type PolicyDependency, type PolicyFinding } from './evaluate-policy';
import { DEFAULT_POLICY, parsePolicy, type PolicyRules } from './policy';
import type { Severity } from '../severity/severity.value-object';
import { snapshotCompleteness } from '../dependency/snapshot-completeness';

const NOW = new Date('2026-06-01T00:00:00Z');

function finding(id: string, severity: Severity, extra: Partial<PolicyFinding> = {}): PolicyFinding {
  return {
    vulnerabilityId: id,
    aliases: [],
    severity,
    ecosystem: 'PyPI',
    name: 'pkg',
    version: '1.0',
    ...extra,
  };
}
const key = (id: string, name = 'pkg') => `${id}@PyPI/${name}@1.0`;
const dep = (name: string, version: string | null): PolicyDependency => ({
  ecosystem: 'PyPI',
  name,
  version,
  manifestPath: 'requirements.txt',
});

describe('evaluatePolicy', () => {
  describe('the default policy (FAIL on CRITICAL/HIGH, WARN on MEDIUM)', () => {
    it.each<[Severity[], string]>([
      [[], 'OK'],
      [['LOW'], 'OK'],
      [['UNKNOWN'], 'OK'],
      [['MEDIUM'], 'WARN'],
      [['LOW', 'MEDIUM'], 'WARN'],
      [['HIGH'], 'FAIL'],
      [['CRITICAL'], 'FAIL'],
      [['MEDIUM', 'CRITICAL'], 'FAIL'],
    ])('%p → %s', (severities, status) => {
      const findings = severities.map((s, i) => finding(`V-${i}`, s));
      expect(evaluatePolicy(DEFAULT_POLICY, findings, [], NOW).status).toBe(status);
    });

    it('lists the rule, the findings and the worst severity', () => {
      const result = evaluatePolicy(
        DEFAULT_POLICY,
        [finding('A', 'HIGH'), finding('B', 'CRITICAL'), finding('C', 'MEDIUM')],
        [],
        NOW,
      );
      expect(result.reasons).toEqual([
        {
          rule: 'fail_on_severity',
          status: 'FAIL',
          message: '2 finding(s) of severity HIGH or above (worst: CRITICAL)',
          findings: [key('A'), key('B')],
        },
        {
          rule: 'warn_on_severity',
          status: 'WARN',
          message: '3 finding(s) of severity MEDIUM or above (worst: CRITICAL)',
          findings: [key('A'), key('B'), key('C')],
        },
      ]);
    });
  });

  it('fails on a listed vulnerability id, matched through aliases too', () => {
    const policy = parsePolicy({ fail_on_vulnerability_ids: ['CVE-2021-1'] });
    const result = evaluatePolicy(policy, [finding('GHSA-x', 'LOW', { aliases: ['CVE-2021-1'] })], [], NOW);
    expect(result.status).toBe('FAIL');
    expect(result.reasons.map((r) => r.rule)).toEqual(['fail_on_vulnerability_ids']);
  });

  describe('ignore', () => {
    const policy = (expires_at?: string): PolicyRules =>
      parsePolicy({
        fail_on_severity: 'HIGH',
        ignore: [{ id: 'CVE-2020-9', reason: 'not reachable', ...(expires_at ? { expires_at } : {}) }],
      });
    const findings = [finding('PYSEC-1', 'CRITICAL', { aliases: ['CVE-2020-9'] })];

    it('leaves out an ignored finding and says why', () => {
      const result = evaluatePolicy(policy(), findings, [], NOW);
      expect(result).toEqual({
        status: 'OK',
        reasons: [],
        ignored: [{ finding: key('PYSEC-1'), reason: 'not reachable' }],
      });
    });

    it('keeps applying until its expiry', () => {
      expect(evaluatePolicy(policy('2026-06-01T00:00:01Z'), findings, [], NOW).status).toBe('OK');
    });

    it('stops applying once expired (expiry is exclusive of now)', () => {
      expect(evaluatePolicy(policy('2026-06-01T00:00:00Z'), findings, [], NOW).status).toBe('FAIL');
      expect(evaluatePolicy(policy('2025-01-01T00:00:00Z'), findings, [], NOW).status).toBe('FAIL');
    });

    it('honours a triage decision recorded on the finding', () => {
      const result = evaluatePolicy(DEFAULT_POLICY, [finding('X', 'HIGH', { triage: 'ignored' })], [], NOW);
      expect(result.status).toBe('OK');
      expect(result.ignored).toEqual([{ finding: key('X'), reason: 'ignored by triage' }]);
    });
  });

  describe('unpinned dependencies', () => {
    const deps = [dep('flask', null), dep('requests', '2.31.0'), dep('django', null)];
    it('warns when asked to', () => {
      const result = evaluatePolicy(parsePolicy({ warn_on_unpinned: true }), [], deps, NOW);
      expect(result.status).toBe('WARN');
      expect(result.reasons[0]).toEqual({
        rule: 'warn_on_unpinned',
        status: 'WARN',
        message:
          '2 dependency(ies) without an exact version: PyPI/django (requirements.txt), PyPI/flask (requirements.txt)',
        findings: [],
      });
    });
    it('fails when asked to', () => {
      expect(evaluatePolicy(parsePolicy({ fail_on_unpinned: true }), [], deps, NOW).status).toBe('FAIL');
    });
    it('says nothing when every dependency is pinned or the rule is off', () => {
      expect(evaluatePolicy(parsePolicy({ warn_on_unpinned: true }), [], [dep('a', '1')], NOW).status).toBe(
        'OK',
      );
      expect(evaluatePolicy(parsePolicy({}), [], deps, NOW).status).toBe('OK');
    });
  });

  describe('max_findings', () => {
    const policy = parsePolicy({
      max_findings: [
        { severity: 'LOW', max: 2, action: 'warn' },
        { severity: 'MEDIUM', max: 1, action: 'fail' },
      ],
    });
    it.each<[Severity[], string, string[]]>([
      [['LOW', 'LOW'], 'OK', []],
      [['LOW', 'LOW', 'LOW'], 'WARN', ['max_findings[0]']],
      [['MEDIUM'], 'OK', []],
      [['MEDIUM', 'HIGH'], 'FAIL', ['max_findings[1]']],
      [['MEDIUM', 'HIGH', 'LOW'], 'FAIL', ['max_findings[1]', 'max_findings[0]']],
    ])('%p → %s by %p', (severities, status, rules) => {
      const result = evaluatePolicy(
        policy,
        severities.map((s, i) => finding(`V${i}`, s)),
        [],
        NOW,
      );
      expect(result.status).toBe(status);
      expect(result.reasons.map((r) => r.rule)).toEqual(rules);
    });
  });

  describe('an incomplete scan', () => {
    const brokenLock = snapshotCompleteness([
      { path: 'requirements.txt', diagnostics: [] },
      {
        path: 'web/package-lock.json',
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX', message: 'not JSON', line: 1 }],
      },
    ]);
    it('is never OK: WARN under any policy without fail_on_incomplete', () => {
      for (const policy of [DEFAULT_POLICY, parsePolicy({}), parsePolicy({ fail_on_incomplete: false })]) {
        const result = evaluatePolicy(policy, [], [], NOW, brokenLock);
        expect(result.status).toBe('WARN');
        expect(result.reasons).toEqual([
          {
            rule: 'incomplete',
            status: 'WARN',
            message:
              '1 manifest(s) could not be read in full: web/package-lock.json (INVALID_SYNTAX); vulnerabilities in them may be missing',
            findings: [],
          },
        ]);
      }
    });
    it('FAILs with fail_on_incomplete, and a FAIL from findings stays FAIL either way', () => {
      const strict = evaluatePolicy(parsePolicy({ fail_on_incomplete: true }), [], [], NOW, brokenLock);
      expect([strict.status, strict.reasons.map((r) => r.rule)]).toEqual(['FAIL', ['fail_on_incomplete']]);
      const high = evaluatePolicy(DEFAULT_POLICY, [finding('H', 'HIGH')], [], NOW, snapshotCompleteness([]));
      expect([high.status, high.reasons.map((r) => r.rule)]).toEqual([
        'FAIL',
        ['fail_on_severity', 'warn_on_severity', 'incomplete'],
      ]);
    });
    it('says nothing when every manifest was read', () => {
      const complete = snapshotCompleteness([{ path: 'requirements.txt', diagnostics: [] }]);
      expect(evaluatePolicy(parsePolicy({ fail_on_incomplete: true }), [], [], NOW, complete).status).toBe(
        'OK',
      );
    });
  });

  it('combines rules: FAIL reasons before WARN, ignored findings counted nowhere', () => {
    const policy = parsePolicy({
      fail_on_severity: 'CRITICAL',
      warn_on_severity: 'LOW',
      warn_on_unpinned: true,
      ignore: [{ id: 'IGN', reason: 'accepted risk' }],
    });
    const result = evaluatePolicy(
      policy,
      [finding('IGN', 'CRITICAL'), finding('B', 'LOW'), finding('C', 'CRITICAL', { name: 'other' })],
      [dep('x', null)],
      NOW,
    );
    expect(result.status).toBe('FAIL');
    expect(result.reasons.map((r) => [r.rule, r.status, r.findings])).toEqual([
      ['fail_on_severity', 'FAIL', [key('C', 'other')]],
      ['warn_on_severity', 'WARN', [key('B'), key('C', 'other')]],
      ['warn_on_unpinned', 'WARN', []],
    ]);
    expect(result.ignored).toEqual([{ finding: key('IGN'), reason: 'accepted risk' }]);
  });

  it('is deterministic whatever the input order', () => {
    const findings = [finding('B', 'HIGH'), finding('A', 'HIGH'), finding('C', 'MEDIUM')];
    const a = evaluatePolicy(DEFAULT_POLICY, findings, [], NOW);
    const b = evaluatePolicy(DEFAULT_POLICY, [...findings].reverse(), [], NOW);
    expect(a).toEqual(b);
  });
});

describe('parsePolicy', () => {
  it('accepts a full policy and normalises severity case', () => {
    expect(
      parsePolicy({
        schema_version: 1,
        fail_on_severity: 'high',
        warn_on_severity: 'MEDIUM',
        warn_on_unpinned: true,
        fail_on_vulnerability_ids: ['CVE-1'],
        ignore: [{ id: 'GHSA-1', reason: 'r', expires_at: '2030-01-01T00:00:00Z' }],
        max_findings: [{ severity: 'low', max: 0, action: 'warn' }],
      }),
    ).toEqual({
      schema_version: 1,
      fail_on_severity: 'HIGH',
      warn_on_severity: 'MEDIUM',
      warn_on_unpinned: true,
      fail_on_vulnerability_ids: ['CVE-1'],
      ignore: [{ id: 'GHSA-1', reason: 'r', expires_at: '2030-01-01T00:00:00Z' }],
      max_findings: [{ severity: 'LOW', max: 0, action: 'warn' }],
    });
  });

  it('names every invalid rule at once', () => {
    let error: unknown;
    try {
      parsePolicy({
        schema_version: 2,
        fail_on_severity: 'SEVERE',
        warn_on_unpinned: 'yes',
        fail_on_incomplete: 'always',
        fail_on_vulnerability_ids: 'CVE-1',
        ignore: [{ id: '', reason: 'r' }, { id: 'X', expires_at: 'tomorrow' }, 'nope'],
        max_findings: [{ severity: 'HIGH', max: -1, action: 'block' }],
        block_everything: true,
      });
    } catch (e) {
      error = e;
    }
    expect((error as { code: string }).code).toBe('POLICY_INVALID');
    expect((error as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
      'rules.block_everything',
      'rules.schema_version',
      'rules.fail_on_severity',
      'rules.warn_on_unpinned',
      'rules.fail_on_incomplete',
      'rules.fail_on_vulnerability_ids',
      'rules.ignore[0].id',
      'rules.ignore[1].reason',
      'rules.ignore[1].expires_at',
      'rules.ignore[2]',
      'rules.max_findings[0].max',
      'rules.max_findings[0].action',
    ]);
  });

  it.each([null, [], 'policy', 3])('rejects %p as a whole', (input) => {
    expect(() => parsePolicy(input)).toThrow(/expected a JSON object/);
  });
});
