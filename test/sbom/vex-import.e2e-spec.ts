// Triage in VEX states and VEX import (issue 20, points 2 and 3), over HTTP on the real stack: a
// repository failing on one CRITICAL finding stays FAIL while it is exploitable and passes once it
// is not_affected; CycloneDX VEX and OpenVEX documents applied onto a scanned repository's findings,
// read back through the findings list and the audit log.
import { randomBytes } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { allFindings, connectScannedRepo, repoStatus } from '../support/connected-repos';
import { pypiAdvisory } from '../support/osv-advisories';

const RUN = randomBytes(3).toString('hex');
const GHSA = (n: string) => `GHSA-vx${RUN.slice(0, 2)}-${RUN.slice(2)}${n}-vex${n}`;
const CVE = `CVE-2098-${parseInt(RUN, 16)}`;

const ADVISORIES = [
  pypiAdvisory(GHSA('a'), 'rg-vex-alpha', 'CRITICAL', [CVE], { fixed: '2.0.0' }),
  pypiAdvisory(GHSA('b'), 'rg-vex-beta', 'HIGH', [], { fixed: '2.0.0' }),
];

interface Finding {
  id: string;
  status: string;
  vulnerability: { id: string };
  dependency: { name: string };
  triage: {
    status: string;
    state: string | null;
    justification: string | null;
    responses: string[];
    detail: string | null;
  } | null;
}

describe('VEX triage states and VEX import', () => {
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;

  const api = (method: string, p: string, body?: unknown) =>
    stack.call(org.ownerToken, method, `/api/v1${p}`, body);
  /** The repository's findings by package name. */
  const findings = async (repoId: string): Promise<Record<string, Finding>> =>
    Object.fromEntries(
      (await allFindings<Finding>(stack, org.ownerToken, repoId)).map((f) => [f.dependency.name, f]),
    );
  const status = (repoId: string) => repoStatus(stack, org, repoId);
  const scannedRepo = (name: string, pins: string) =>
    connectScannedRepo(stack, org, `vex-${RUN}`, name, { 'requirements.txt': pins });

  beforeAll(async () => {
    stack = await startApiStack({ name: 'vex-import', advisories: ADVISORIES });
    org = await stack.createOrg('vex');
  });
  afterAll(async () => stack?.close());

  it('an exploitable CRITICAL keeps the repository FAIL; not_affected takes it out of the count', async () => {
    const repoId = await scannedRepo('patch', 'rg-vex-alpha==1.0.0\n');
    expect(await status(repoId)).toBe('FAIL');
    const alpha = (await findings(repoId))['rg-vex-alpha']!;

    const exploitable = await api('PATCH', `/findings/${alpha.id}`, {
      state: 'exploitable',
      response: ['update'],
    });
    expect(exploitable.status).toBe(200);
    expect(exploitable.body).toMatchObject({
      status: 'open',
      triage: { status: 'open', state: 'exploitable', responses: ['update'], justification: null },
    });
    expect(await status(repoId)).toBe('FAIL');

    const notAffected = await api('PATCH', `/findings/${alpha.id}`, {
      state: 'not_affected',
      justification: 'code_not_reachable',
      detail: 'the parser is never given user input',
    });
    expect(notAffected.status).toBe(200);
    expect(notAffected.body).toMatchObject({
      status: 'ignored',
      triage: {
        status: 'ignored',
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'the parser is never given user input',
        reason: 'the parser is never given user input',
      },
    });
    expect(await status(repoId)).toBe('OK');

    // Today's body still works: an ignore is not_affected with the reason as detail; reopen clears it.
    const reopened = await api('PATCH', `/findings/${alpha.id}`, { status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', triage: { status: 'open', state: null } });
    expect(await status(repoId)).toBe('FAIL');
    const ignored = await api('PATCH', `/findings/${alpha.id}`, { status: 'ignored', reason: 'test-only' });
    expect(ignored.body).toMatchObject({
      status: 'ignored',
      triage: { state: 'not_affected', detail: 'test-only' },
    });

    const audit = await api('GET', `/orgs/${org.orgId}/audit-logs?action=finding.vex_decided&per_page=100`);
    expect(
      (audit.body.items as { target_id: string; metadata: { analysis: { state: string } } }[])
        .filter((row) => row.target_id === alpha.id)
        .map((row) => row.metadata.analysis.state)
        .sort(),
    ).toEqual(['exploitable', 'not_affected']);
  });

  it('refuses wrong combinations with a 400 naming the field, and changes nothing', async () => {
    const repoId = await scannedRepo('refusals', 'rg-vex-beta==1.0.0\n');
    const beta = (await findings(repoId))['rg-vex-beta']!;
    const cases: [unknown, string][] = [
      [{ status: 'ignored', reason: 'x', state: 'not_affected' }, 'state'],
      [{ state: 'exploitable', justification: 'code_not_present' }, 'justification'],
      [{ state: 'not_affected' }, 'justification'],
      [{ state: 'in_triage', response: ['update'] }, 'response'],
      [{ state: 'maybe' }, 'state'],
      [{ status: 'open', detail: 'x' }, 'detail'],
    ];
    for (const [body, field] of cases) {
      const answer = await api('PATCH', `/findings/${beta.id}`, body);
      expect([
        JSON.stringify(body),
        answer.status,
        answer.body.error.details.map((d: { field: string }) => d.field),
      ]).toEqual([JSON.stringify(body), 400, [field]]);
    }
    expect((await findings(repoId))['rg-vex-beta']).toMatchObject({ status: 'open', triage: null });
  });

  it('imports a CycloneDX VEX and an OpenVEX document onto the findings, audited, judged once', async () => {
    const repoId = await scannedRepo('import', 'rg-vex-alpha==1.0.0\nrg-vex-beta==1.0.0\n');
    expect(await status(repoId)).toBe('FAIL');
    const serial = 'urn:uuid:5f0c8e1c-2a7e-4a55-9c61-0d3f7b0d9a11';
    const cyclonedx = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: serial,
      version: 1,
      vulnerabilities: [
        {
          id: CVE.toLowerCase(), // the alias, in another case
          analysis: { state: 'not_affected', justification: 'code_not_present', detail: 'stripped at build' },
          affects: [{ ref: `urn:cdx:${serial.slice(9)}/1#pkg:pypi/rg-vex-alpha@1.0.0` }],
        },
        {
          id: GHSA('b'),
          analysis: { state: 'false_positive', detail: 'another package of that name' },
          affects: [{ ref: 'beta-ref' }],
        },
        {
          id: 'CVE-2098-0000001',
          analysis: { state: 'resolved' },
          affects: [{ ref: 'pkg:pypi/rg-vex-alpha' }],
        },
        { id: GHSA('a'), affects: [{ ref: 'pkg:pypi/rg-vex-alpha@1.0.0' }] },
      ],
      components: [{ 'bom-ref': 'beta-ref', name: 'rg-vex-beta', purl: 'pkg:pypi/rg_vex_beta' }],
    };
    const imported = await api('POST', `/repos/${repoId}/vex`, cyclonedx);
    expect([imported.status, imported.body]).toEqual([
      200,
      {
        format: 'cyclonedx',
        document_id: `${serial}/1`,
        applied: 2,
        unchanged: 0,
        unmatched: 2,
        unmatched_statements: [
          { at: 'vulnerabilities[2]', vulnerability: 'CVE-2098-0000001', reason: 'no_finding' },
          { at: 'vulnerabilities[3]', vulnerability: GHSA('a'), reason: 'no_analysis' },
        ],
      },
    ]);
    let listed = await findings(repoId);
    expect(listed['rg-vex-alpha']).toMatchObject({
      status: 'ignored',
      triage: { state: 'not_affected', justification: 'code_not_present', detail: 'stripped at build' },
    });
    expect(listed['rg-vex-beta']).toMatchObject({ status: 'ignored', triage: { state: 'false_positive' } });
    expect(await status(repoId)).toBe('OK');
    const again = await api('POST', `/repos/${repoId}/vex`, cyclonedx);
    expect(again.body).toMatchObject({ applied: 0, unchanged: 2 });

    const openvex = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': `https://example.com/vex/${RUN}`,
      author: 'security@example.com',
      timestamp: '2026-12-12T00:00:00Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: CVE },
          products: [{ '@id': 'pkg:pypi/rg-vex-alpha@1.0.0' }],
          status: 'affected',
          action_statement: 'upgrade to 2.0.0',
        },
        {
          vulnerability: { name: GHSA('b') },
          products: [
            { '@id': 'https://example.com/app', identifiers: { purl: 'pkg:pypi/rg-vex-beta@1.0.0' } },
          ],
          status: 'under_investigation',
        },
      ],
    };
    const second = await api('POST', `/repos/${repoId}/vex`, openvex);
    expect(second.body).toMatchObject({
      format: 'openvex',
      document_id: openvex['@id'],
      applied: 2,
      unmatched: 0,
    });
    listed = await findings(repoId);
    expect(listed['rg-vex-alpha']).toMatchObject({
      status: 'open',
      triage: { state: 'exploitable', detail: 'upgrade to 2.0.0' },
    });
    expect(listed['rg-vex-beta']).toMatchObject({ status: 'open', triage: { state: 'in_triage' } });
    expect(await status(repoId)).toBe('FAIL');

    const audit = await api('GET', `/orgs/${org.orgId}/audit-logs?action=finding.vex_decided&per_page=100`);
    const alphaId = listed['rg-vex-alpha']!.id;
    const rows = (
      audit.body.items as {
        target_id: string;
        actor: unknown;
        metadata: { analysis: { state: string }; source: unknown };
      }[]
    ).filter((row) => row.target_id === alphaId);
    expect(rows.map((row) => [row.metadata.analysis.state, row.metadata.source]).reverse()).toEqual([
      [
        'not_affected',
        {
          type: 'vex_import',
          format: 'cyclonedx',
          document_id: `${serial}/1`,
          statement: 'vulnerabilities[0]',
        },
      ],
      [
        'exploitable',
        { type: 'vex_import', format: 'openvex', document_id: openvex['@id'], statement: 'statements[0]' },
      ],
    ]);
  });

  it('refuses a malformed document with a 400 naming the field path, and changes nothing', async () => {
    const repoId = await scannedRepo('malformed', 'rg-vex-beta==1.0.0\n');
    const answer = await api('POST', `/repos/${repoId}/vex`, {
      bomFormat: 'CycloneDX',
      vulnerabilities: [
        {
          id: GHSA('b'),
          analysis: { state: 'not_affected', justification: 'code_not_present' },
          affects: [],
        },
        { id: GHSA('b'), analysis: { state: 'perhaps' }, affects: [{ ref: 'pkg:pypi/rg-vex-beta@1.0.0' }] },
      ],
    });
    expect([answer.status, answer.body.error.code, answer.body.error.details]).toEqual([
      400,
      'VEX_INVALID',
      [{ field: 'vulnerabilities[1].analysis.state', problem: expect.stringContaining('must be one of') }],
    ]);
    const notVex = await api('POST', `/repos/${repoId}/vex`, { hello: 'world' });
    expect([notVex.status, notVex.body.error.details[0].field]).toEqual([400, 'body']);
    expect((await findings(repoId))['rg-vex-beta']).toMatchObject({ status: 'open', triage: null });
  });
});
