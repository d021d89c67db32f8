// Issue 20's acceptance, one `it` per point, on the real stack (API and worker processes, Temporal,
// PostgreSQL, the OSV and GitHub stand-ins with real git): an SBOM written by @cyclonedx/cyclonedx-npm
// finds what the project's package-lock.json finds; a repository's SBOM and VEX exported and
// imported into another org give the same components, findings and triage states; the exports
// validate against the official schemas, decisions map as the README's table says, and a
// not_affected finding stops counting toward FAIL.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack, type ApiStack } from '../support/api-stack';
import {
  allFindings,
  connectScannedRepo,
  repoStatus,
  scanEnded,
  type OrgOwner,
} from '../support/connected-repos';
import { cycloneDxErrors, openVexErrors, spdxErrors } from '../support/sbom-schemas';

const RUN = randomBytes(3).toString('hex');
const GHSA = (n: string) => `GHSA-ac${RUN.slice(0, 2)}-${RUN.slice(2)}${n}-acc${n}`;
const CYCLONEDX_NPM = path.resolve(__dirname, '../../node_modules/.bin/cyclonedx-npm');

const advisory = (id: string, name: string, fixed: string, severity = 'HIGH'): OsvRecord => ({
  id,
  modified: '2026-12-01T00:00:00Z',
  summary: `${name} is vulnerable`,
  database_specific: { severity },
  affected: [
    {
      package: { ecosystem: 'npm', name },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
    },
  ],
});

const integrity = (byte: number, bytes = 64) =>
  `sha${bytes === 64 ? 512 : 1}-${Buffer.alloc(bytes, byte).toString('base64')}`;
const registry = (name: string, version: string) =>
  `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;

// The interop project: a direct unscoped (lodash), a transitive scoped (@rg-acc/leaf) and a
// transitive unscoped (minimist) vulnerable package, a safe scoped one, and a dev one.
const INTEROP = {
  lodash: advisory(GHSA('l'), 'lodash', '4.17.21'),
  leaf: advisory(GHSA('f'), '@rg-acc/leaf', '0.4.0'),
  minimist: advisory(GHSA('m'), 'minimist', '1.2.6', 'MEDIUM'),
  leftPad: advisory(GHSA('p'), 'left-pad', '1.3.1', 'LOW'),
};
const INTEROP_MANIFEST = {
  name: 'interop-app',
  version: '1.0.0',
  dependencies: { lodash: '4.17.15', '@rg-acc/widget': '1.2.0' },
  devDependencies: { 'left-pad': '1.3.0' },
};
const INTEROP_LOCK = {
  name: 'interop-app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': INTEROP_MANIFEST,
    'node_modules/lodash': {
      version: '4.17.15',
      resolved: registry('lodash', '4.17.15'),
      integrity: integrity(1),
      license: 'MIT',
    },
    'node_modules/@rg-acc/widget': {
      version: '1.2.0',
      resolved: registry('@rg-acc/widget', '1.2.0'),
      integrity: integrity(2),
      license: 'Apache-2.0',
      dependencies: { '@rg-acc/leaf': '^0.3.0', minimist: '^1.2.0' },
    },
    'node_modules/@rg-acc/leaf': {
      version: '0.3.1',
      resolved: registry('@rg-acc/leaf', '0.3.1'),
      license: 'ISC',
    },
    'node_modules/minimist': { version: '1.2.5', resolved: registry('minimist', '1.2.5'), license: 'MIT' },
    'node_modules/left-pad': {
      version: '1.3.0',
      resolved: registry('left-pad', '1.3.0'),
      dev: true,
      license: 'WTFPL',
    },
  },
};

// The round trip's repository: one vulnerable package per triage state, with the integrities,
// licences and edges the lock file gives, and a PyPI pin that carries none of them.
const ROUND = {
  notAffected: advisory(GHSA('1'), 'rg-rt-alpha', '2.0.0'),
  falsePositive: advisory(GHSA('2'), '@rg-rt/beta', '2.0.0'),
  exploitable: advisory(GHSA('3'), 'rg-rt-gamma', '2.0.0'),
  inTriage: advisory(GHSA('4'), '@rg-rt/delta', '2.0.0'),
  untriaged: advisory(GHSA('5'), 'rg-rt-epsilon', '2.0.0'),
};
const ROUND_LOCK = {
  name: 'round',
  lockfileVersion: 3,
  packages: {
    '': {
      name: 'round',
      dependencies: { 'rg-rt-alpha': '1.0.0', 'rg-rt-gamma': '1.0.0', '@rg-rt/delta': '1.0.0' },
      devDependencies: { 'rg-rt-epsilon': '1.0.0' },
    },
    'node_modules/rg-rt-alpha': {
      version: '1.0.0',
      resolved: registry('rg-rt-alpha', '1.0.0'),
      integrity: integrity(3),
      license: 'MIT',
      dependencies: { '@rg-rt/beta': '^1.0.0' },
    },
    'node_modules/@rg-rt/beta': {
      version: '1.0.0',
      resolved: registry('@rg-rt/beta', '1.0.0'),
      integrity: integrity(4, 20),
      license: 'Apache-2.0',
    },
    'node_modules/rg-rt-gamma': {
      version: '1.0.0',
      resolved: registry('rg-rt-gamma', '1.0.0'),
      license: '(MIT OR Apache-2.0)',
      dependencies: { 'rg-rt-safe': '^3.0.0' },
    },
    'node_modules/@rg-rt/delta': { version: '1.0.0', resolved: registry('@rg-rt/delta', '1.0.0') },
    'node_modules/rg-rt-epsilon': {
      version: '1.0.0',
      resolved: registry('rg-rt-epsilon', '1.0.0'),
      integrity: integrity(5),
      dev: true,
      license: 'ISC',
    },
    'node_modules/rg-rt-safe': {
      version: '3.0.0',
      resolved: registry('rg-rt-safe', '3.0.0'),
      integrity: integrity(6),
      license: 'BSD-3-Clause',
    },
  },
};
/** The decision each of the round trip's advisories gets (PATCH /findings/{id} bodies); none for untriaged. */
const DECISIONS: Record<string, Record<string, unknown> | null> = {
  [ROUND.notAffected.id]: {
    state: 'not_affected',
    justification: 'code_not_reachable',
    detail: 'only the CLI entry point imports it',
  },
  [ROUND.falsePositive.id]: { state: 'false_positive', detail: 'another package of that name' },
  [ROUND.exploitable.id]: {
    state: 'exploitable',
    response: ['update', 'workaround_available'],
    detail: 'upgrade planned',
  },
  [ROUND.inTriage.id]: { state: 'in_triage', detail: 'looking into it' },
  [ROUND.untriaged.id]: null,
};

interface Finding {
  id: string;
  status: string;
  vulnerability: { id: string };
  dependency: { ecosystem: string; name: string; version: string; purl: string | null };
  triage: {
    state: string | null;
    justification: string | null;
    responses: string[];
    detail: string | null;
  } | null;
}
interface CdxComponent {
  purl: string;
  'bom-ref': string;
  scope?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: unknown[];
}
interface CdxBom {
  components?: CdxComponent[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: {
    id: string;
    analysis: { state: string; justification?: string; response?: string[]; detail?: string };
    affects: { ref: string }[];
  }[];
}
interface SpdxDocument {
  packages: {
    SPDXID: string;
    versionInfo?: string;
    licenseDeclared?: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    externalRefs?: { referenceType: string; referenceLocator: string }[];
  }[];
}
interface OpenVexStatement {
  vulnerability: { name: string };
  products: { '@id': string }[];
  status: string;
  justification?: string;
  impact_statement?: string;
  action_statement?: string;
  status_notes?: string;
}

describe('SBOM and VEX acceptance (issue 20)', () => {
  let stack: ApiStack;
  let source: Awaited<ReturnType<ApiStack['createOrg']>>;
  let target: Awaited<ReturnType<ApiStack['createOrg']>>;
  const work = mkdtempSync(path.join(tmpdir(), 'rg-acceptance-'));

  const call = (token: string, method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
    stack.call(token, method, `/api/v1${p}`, body, headers);

  async function exported(token: string, p: string): Promise<{ text: string; body: unknown }> {
    const answer = await call(token, 'GET', p);
    expect([p, answer.status]).toEqual([p, 200]);
    return { text: JSON.stringify(answer.body), body: answer.body };
  }

  const findings = (token: string, repoId: string) => allFindings<Finding>(stack, token, repoId);
  /** What a finding is, whatever source it came from: advisory, ecosystem, package, version. */
  const found = (items: Finding[]) =>
    items
      .map((f) =>
        [f.vulnerability.id, f.dependency.ecosystem, f.dependency.name, f.dependency.version].join(' '),
      )
      .sort();

  const connectGit = (org: OrgOwner, name: string, files: Record<string, string>) =>
    connectScannedRepo(stack, org, `acc-${RUN}`, name, files);

  async function importSbom(org: OrgOwner, text: string, contentType: string, name: string): Promise<string> {
    const answer = await call(org.ownerToken, 'POST', `/orgs/${org.orgId}/sboms?name=${name}`, text, {
      'content-type': contentType,
    });
    expect([answer.status, answer.body.error]).toEqual([202, undefined]);
    const scan = await scanEnded(stack, org.ownerToken, answer.body.scan_id);
    if (scan.status === 'FAILED') throw new Error(`the SBOM's scan failed: ${JSON.stringify(scan.error)}`);
    return answer.body.repo_id as string;
  }

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'sbom-vex-acceptance',
      advisories: [...Object.values(INTEROP), ...Object.values(ROUND)],
    });
    source = await stack.createOrg('acc-source');
    target = await stack.createOrg('acc-target');
  });
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await stack?.close();
  });

  it('interop: an SBOM written by cyclonedx-npm, imported, finds what scanning the package-lock finds', async () => {
    const project = path.join(work, 'interop');
    mkdirSync(project);
    const manifest = JSON.stringify(INTEROP_MANIFEST, null, 2);
    const lock = JSON.stringify(INTEROP_LOCK, null, 2);
    writeFileSync(path.join(project, 'package.json'), manifest);
    writeFileSync(path.join(project, 'package-lock.json'), lock);
    // Offline for certain: npm in offline mode, its registry and any proxy an unreachable port.
    const nowhere = 'http://127.0.0.1:9/';
    execFileSync(
      CYCLONEDX_NPM,
      [
        '--package-lock-only',
        '--output-format',
        'JSON',
        '--spec-version',
        '1.6',
        '--output-file',
        'bom.json',
      ],
      {
        cwd: project,
        stdio: 'pipe',
        env: {
          ...process.env,
          npm_config_offline: 'true',
          npm_config_registry: nowhere,
          HTTP_PROXY: nowhere,
          HTTPS_PROXY: nowhere,
          http_proxy: nowhere,
          https_proxy: nowhere,
        },
      },
    );
    const bom = readFileSync(path.join(project, 'bom.json'), 'utf8');
    const written = JSON.parse(bom) as CdxBom & { metadata: { tools: { components: { name: string }[] } } };
    expect(written.metadata.tools.components.map((t) => t.name)).toContain('cyclonedx-npm');
    expect(written.components!.map((c) => c.purl).sort()).toEqual([
      'pkg:npm/%40rg-acc/leaf@0.3.1',
      'pkg:npm/%40rg-acc/widget@1.2.0',
      'pkg:npm/left-pad@1.3.0',
      'pkg:npm/lodash@4.17.15',
      'pkg:npm/minimist@1.2.5',
    ]);

    const fromSbom = await importSbom(source, bom, 'application/vnd.cyclonedx+json', `interop-${RUN}`);
    const fromLock = await connectGit(source, 'interop', {
      'package.json': manifest,
      'package-lock.json': lock,
    });
    const sbomFindings = found(await findings(source.ownerToken, fromSbom));
    expect(sbomFindings).toEqual(found(await findings(source.ownerToken, fromLock)));
    expect(sbomFindings).toEqual(
      [
        `${INTEROP.leaf.id} npm @rg-acc/leaf 0.3.1`,
        `${INTEROP.leftPad.id} npm left-pad 1.3.0`,
        `${INTEROP.lodash.id} npm lodash 4.17.15`,
        `${INTEROP.minimist.id} npm minimist 1.2.5`,
      ].sort(),
    );
  });

  describe('a scanned repository with decisions in every VEX state', () => {
    let repoId: string;
    let decided: Finding[];
    let cdxSbom: { text: string; body: CdxBom };
    let spdxSbom: { text: string; body: SpdxDocument };
    let cdxVex: { text: string; body: CdxBom };
    let openVex: { text: string; body: { statements: OpenVexStatement[] } };

    /** A finding's decision as the other side can state it: untriaged is in_triage in every VEX. */
    const decision = (f: Finding) => ({
      state: f.triage?.state ?? 'in_triage',
      justification: f.triage?.justification ?? null,
      responses: [...(f.triage?.responses ?? [])].sort(),
      detail: f.triage?.detail ?? null,
    });
    const byAdvisoryAndPurl = (items: Finding[], as: (f: Finding) => object = decision) =>
      Object.fromEntries(
        items
          .map((f) => [`${f.vulnerability.id} ${f.dependency.purl}`, as(f)])
          .sort(([a], [b]) => (a! < b! ? -1 : 1)),
      );
    /** A component as the comparison sees it: purl, hashes, licences, scope. */
    const components = (bom: CdxBom) =>
      bom
        .components!.map((c) => ({
          purl: c.purl,
          hashes: c.hashes ?? [],
          licenses: c.licenses ?? [],
          scope: c.scope ?? null,
        }))
        .sort((a, b) => (a.purl < b.purl ? -1 : 1));
    const edges = (bom: CdxBom) => {
      const purls = new Set(bom.components!.map((c) => c['bom-ref']));
      return bom
        .dependencies!.filter((d) => purls.has(d.ref))
        .flatMap((d) => (d.dependsOn ?? []).map((to) => `${d.ref} -> ${to}`))
        .sort();
    };

    beforeAll(async () => {
      repoId = await connectGit(source, 'round', {
        'package-lock.json': JSON.stringify(ROUND_LOCK),
        'requirements.txt': 'rg-rt-py==1.0.0\n',
      });
      for (const f of await findings(source.ownerToken, repoId)) {
        const body = DECISIONS[f.vulnerability.id];
        if (!body) continue;
        const answer = await call(source.ownerToken, 'PATCH', `/findings/${f.id}`, body);
        expect([f.vulnerability.id, answer.status]).toEqual([f.vulnerability.id, 200]);
      }
      decided = await findings(source.ownerToken, repoId);
      cdxSbom = (await exported(
        source.ownerToken,
        `/repos/${repoId}/sbom?format=cyclonedx`,
      )) as typeof cdxSbom;
      spdxSbom = (await exported(source.ownerToken, `/repos/${repoId}/sbom?format=spdx`)) as typeof spdxSbom;
      cdxVex = (await exported(source.ownerToken, `/repos/${repoId}/vex?format=cyclonedx`)) as typeof cdxVex;
      openVex = (await exported(source.ownerToken, `/repos/${repoId}/vex?format=openvex`)) as typeof openVex;
    });

    it('round trip, CycloneDX: the SBOM and VEX imported into another org give the same components, findings and triage states', async () => {
      expect(decided).toHaveLength(5);
      const projectId = await importSbom(
        target,
        cdxSbom.text,
        'application/vnd.cyclonedx+json',
        `round-cdx-${RUN}`,
      );
      const applied = await call(target.ownerToken, 'POST', `/repos/${projectId}/vex`, cdxVex.body);
      expect([applied.status, applied.body.applied, applied.body.unmatched]).toEqual([200, 5, 0]);

      const again = (await exported(target.ownerToken, `/repos/${projectId}/sbom?format=cyclonedx`))
        .body as CdxBom;
      expect(components(again)).toEqual(components(cdxSbom.body));
      expect(edges(again)).toEqual(edges(cdxSbom.body));
      // The lock file's facts did travel (not two empty lists compared).
      const alpha = again.components!.find((c) => c.purl === 'pkg:npm/rg-rt-alpha@1.0.0')!;
      expect(alpha.hashes).toEqual([{ alg: 'SHA-512', content: Buffer.alloc(64, 3).toString('hex') }]);
      expect(alpha.licenses).toEqual([{ license: { id: 'MIT' } }]);

      const imported = await findings(target.ownerToken, projectId);
      expect(found(imported)).toEqual(found(decided));
      expect(byAdvisoryAndPurl(imported)).toEqual(byAdvisoryAndPurl(decided));
      expect(imported.map((f) => f.status).sort()).toEqual(decided.map((f) => f.status).sort());
    });

    it('round trip, SPDX + OpenVEX: the same components and findings, and the states OpenVEX can carry', async () => {
      const projectId = await importSbom(target, spdxSbom.text, 'application/spdx+json', `round-spdx-${RUN}`);
      const applied = await call(target.ownerToken, 'POST', `/repos/${projectId}/vex`, openVex.body);
      expect([applied.status, applied.body.applied, applied.body.unmatched]).toEqual([200, 5, 0]);

      // SPDX carries the purls, checksums, declared licences and, through the relationship types
      // (DEV_DEPENDENCY_OF, OPTIONAL_DEPENDENCY_OF), the scope: the project's own CycloneDX export
      // has the components the source's had.
      const again = (await exported(target.ownerToken, `/repos/${projectId}/sbom?format=cyclonedx`))
        .body as CdxBom;
      expect(components(again).map(({ purl, hashes, scope }) => ({ purl, hashes, scope }))).toEqual(
        components(cdxSbom.body).map(({ purl, hashes, scope }) => ({ purl, hashes, scope })),
      );
      const spdxAgain = (await exported(target.ownerToken, `/repos/${projectId}/sbom?format=spdx`))
        .body as SpdxDocument;
      const licences = (doc: SpdxDocument) =>
        doc.packages
          .map((p) => [
            p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator,
            p.licenseDeclared,
          ])
          .filter(([purl]) => purl)
          .sort();
      expect(licences(spdxAgain)).toEqual(licences(spdxSbom.body));
      expect(edges(again)).toEqual(edges(cdxSbom.body));

      const imported = await findings(target.ownerToken, projectId);
      expect(found(imported)).toEqual(found(decided));
      // OpenVEX has no false_positive and no responses: the export says them in RepoGuard's own
      // impact and action sentences, which the import reads back; under_investigation stands for
      // both in_triage and no decision (which decision() reads as in_triage).
      const openVexCarries = (f: Finding) => {
        const d = decision(f);
        return { state: d.state, justification: d.justification, responses: d.responses };
      };
      expect(byAdvisoryAndPurl(imported, openVexCarries)).toEqual(byAdvisoryAndPurl(decided, openVexCarries));
      const gamma = imported.find((f) => f.vulnerability.id === ROUND.exploitable.id)!;
      expect(gamma.triage!.detail).toContain('upgrade planned');
      // What counts toward the policy is carried: the same findings leave the count.
      expect(imported.map((f) => f.status).sort()).toEqual(decided.map((f) => f.status).sort());
    });

    it('exported documents validate against CycloneDX 1.6 and SPDX 2.3 (and OpenVEX 0.2.0)', async () => {
      expect(await cycloneDxErrors(cdxSbom.text)).toBeNull();
      expect(await cycloneDxErrors(cdxVex.text)).toBeNull();
      expect(spdxErrors(spdxSbom.text)).toBeNull();
      expect(openVexErrors(openVex.text)).toBeNull();
      expect(cdxSbom.body.components).toHaveLength(7);
      expect(spdxSbom.body.packages).toHaveLength(8); // the repository, and a package per component
    });

    it('triage states map as the README’s table says, in CycloneDX VEX and OpenVEX', () => {
      const analysis = Object.fromEntries(cdxVex.body.vulnerabilities!.map((v) => [v.id, v.analysis]));
      // A PATCH body is a CycloneDX analysis in the same words; no decision is in_triage.
      expect(analysis).toEqual(
        Object.fromEntries(
          Object.entries(DECISIONS).map(([id, body]) => [id, body ?? { state: 'in_triage' }]),
        ),
      );
      const statement = Object.fromEntries(openVex.body.statements.map((s) => [s.vulnerability.name, s]));
      expect(statement[ROUND.notAffected.id]).toMatchObject({
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: 'only the CLI entry point imports it',
      });
      expect(statement[ROUND.falsePositive.id]).toMatchObject({
        status: 'not_affected',
        justification: 'vulnerable_code_not_present',
        impact_statement: expect.stringMatching(/^False positive: .*another package of that name/),
      });
      expect(statement[ROUND.exploitable.id]).toMatchObject({
        status: 'affected',
        action_statement: expect.stringContaining('upgrade planned'),
      });
      expect(statement[ROUND.inTriage.id]).toMatchObject({
        status: 'under_investigation',
        status_notes: 'looking into it',
      });
      expect(statement[ROUND.untriaged.id]).toMatchObject({ status: 'under_investigation' });
    });
  });

  it('a not_affected finding does not count toward FAIL (the repository’s status from the API)', async () => {
    const lock = {
      name: 'fail',
      lockfileVersion: 3,
      packages: {
        '': { name: 'fail', dependencies: { 'rg-rt-alpha': '1.0.0' } },
        'node_modules/rg-rt-alpha': { version: '1.0.0', resolved: registry('rg-rt-alpha', '1.0.0') },
      },
    };
    const repoId = await connectGit(source, 'fail', { 'package-lock.json': JSON.stringify(lock) });
    expect(await repoStatus(stack, source, repoId)).toBe('FAIL');
    const [finding] = await findings(source.ownerToken, repoId);
    const exploitable = await call(source.ownerToken, 'PATCH', `/findings/${finding!.id}`, {
      state: 'exploitable',
      response: ['will_not_fix'],
    });
    expect(exploitable.status).toBe(200);
    expect(await repoStatus(stack, source, repoId)).toBe('FAIL');
    const notAffected = await call(source.ownerToken, 'PATCH', `/findings/${finding!.id}`, {
      state: 'not_affected',
      justification: 'requires_environment',
      detail: 'only on Windows',
    });
    expect([notAffected.status, notAffected.body.status]).toEqual([200, 'ignored']);
    expect(await repoStatus(stack, source, repoId)).toBe('OK');
  });
});
