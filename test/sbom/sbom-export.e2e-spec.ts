// SBOM and VEX export (issue 20) over HTTP on the real stack (API, worker, Temporal, PostgreSQL):
// a scanned repository's SBOM in CycloneDX 1.6 and SPDX 2.3 and its VEX in CycloneDX and OpenVEX,
// each valid against the official schema, the components those of the snapshot, the VEX's
// BOM-Links resolving to the SBOM's components, and the refusals (409, 404, 400).
import { randomBytes, randomUUID } from 'node:crypto';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { connectRepo } from '../support/connected-repos';
import { pypiAdvisory } from '../support/osv-advisories';
import { cycloneDxErrors, openVexErrors, spdxErrors } from '../support/sbom-schemas';

const RUN = randomBytes(3).toString('hex');
const GHSA = (n: string) => `GHSA-rg${RUN.slice(0, 2)}-${RUN.slice(2)}${n}-sbm${n}`;
const CVE = `CVE-2099-${parseInt(RUN, 16)}`;

const ALPHA = GHSA('a');
const BETA = GHSA('b');
const PINS = 'rg-sbom-alpha==1.0.0\nrg-sbom-beta==1.0.0\nrg-sbom-safe==3.0.0\nrg-sbom-loose>=1.0\n';
// A lock file with what the export carries on: an integrity, a licence and an edge.
const INTEGRITY = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
const LOCK = JSON.stringify({
  name: 'web',
  lockfileVersion: 3,
  packages: {
    '': { name: 'web', dependencies: { 'rg-sbom-web': '1.0.0' } },
    'node_modules/rg-sbom-web': {
      version: '1.0.0',
      resolved: 'https://registry.npmjs.org/rg-sbom-web/-/rg-sbom-web-1.0.0.tgz',
      integrity: INTEGRITY,
      license: 'MIT',
      dependencies: { 'rg-sbom-leaf': '^2.0.0' },
    },
    'node_modules/rg-sbom-leaf': {
      version: '2.0.0',
      resolved: 'https://registry.npmjs.org/rg-sbom-leaf/-/rg-sbom-leaf-2.0.0.tgz',
      license: 'Apache-2.0',
    },
  },
});

interface CdxBom {
  serialNumber: string;
  metadata: { timestamp: string; component: { 'bom-ref': string; name: string; version: string } };
  components?: {
    'bom-ref': string;
    purl: string;
    hashes?: { alg: string; content: string }[];
    licenses?: { license: { id: string } }[];
  }[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: {
    id: string;
    analysis: { state: string; detail?: string };
    affects: { ref: string }[];
  }[];
}

describe('SBOM and VEX export', () => {
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let other: Awaited<ReturnType<ApiStack['createOrg']>>;
  let repoId: string;
  let otherRepoId: string;
  let scan: { id: string; snapshot_id: string; commit_sha: string };

  const get = (p: string, token = org.ownerToken) => stack.call(token, 'GET', `/api/v1${p}`);
  const ok = async (p: string) => {
    const answer = await get(p);
    expect([p, answer.status]).toEqual([p, 200]);
    return { body: answer.body, text: JSON.stringify(answer.body), type: answer.headers.get('content-type') };
  };

  const connect = (name: string) =>
    connectRepo(stack, org, `sbom-${RUN}`, name, { 'requirements.txt': PINS, 'web/package-lock.json': LOCK });

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'sbom-export',
      advisories: [
        pypiAdvisory(ALPHA, 'rg-sbom-alpha', 'CRITICAL', [CVE], { fixed: '2.0.0' }),
        pypiAdvisory(BETA, 'rg-sbom-beta', 'HIGH', [], { fixed: '2.0.0' }),
      ],
    });
    org = await stack.createOrg('sbom');
    other = await stack.createOrg('sbom-other');
    repoId = await connect('shop');
    otherRepoId = await connect('unscanned');
  });
  afterAll(async () => stack?.close());

  it('refuses a repository with no completed scan yet: 409 NO_COMPLETED_SCAN', async () => {
    for (const p of [`/repos/${repoId}/sbom`, `/repos/${repoId}/vex?format=openvex`]) {
      const answer = await get(p);
      expect([p, answer.status, answer.body.error.code]).toEqual([p, 409, 'NO_COMPLETED_SCAN']);
    }
  });

  describe('once scanned, with one finding ignored', () => {
    let sbom: CdxBom;
    let snapshotPurls: string[];

    beforeAll(async () => {
      const ended = await stack.scanToEnd(org.ownerToken, repoId);
      expect([ended.status, ended.error]).toEqual(['COMPLETED', null]);
      scan = ended as unknown as typeof scan;
      const findings = (await get(`/repos/${repoId}/findings?status=all`)).body.items as {
        id: string;
        vulnerability: { id: string };
      }[];
      const beta = findings.find((f) => f.vulnerability.id === BETA)!;
      const ignored = await stack.call(org.ownerToken, 'PATCH', `/api/v1/findings/${beta.id}`, {
        status: 'ignored',
        reason: 'only in a test fixture',
      });
      expect(ignored.status).toBe(200);
      const snapshot = (await get(`/repos/${repoId}/snapshots/${scan.snapshot_id}?per_page=100`)).body;
      snapshotPurls = (snapshot.dependencies.items as { purl: string }[]).map((d) => d.purl).sort();
      sbom = (await ok(`/repos/${repoId}/sbom`)).body as CdxBom;
    });

    it('exports CycloneDX 1.6 by default: valid, the scan as serial number, the snapshot’s components', async () => {
      const { text, type } = await ok(`/repos/${repoId}/sbom`);
      expect(type).toBe('application/vnd.cyclonedx+json; version=1.6');
      expect(await cycloneDxErrors(text)).toBeNull();
      expect(sbom.serialNumber).toBe(`urn:uuid:${scan.id}`);
      expect(sbom.metadata.component).toMatchObject({ name: `sbom-${RUN}/shop`, version: scan.commit_sha });
      expect(sbom.components!.map((c) => c.purl).sort()).toEqual(snapshotPurls);
      expect(snapshotPurls).toEqual([
        'pkg:npm/rg-sbom-leaf@2.0.0',
        'pkg:npm/rg-sbom-web@1.0.0',
        'pkg:pypi/rg-sbom-alpha@1.0.0',
        'pkg:pypi/rg-sbom-beta@1.0.0',
        'pkg:pypi/rg-sbom-loose',
        'pkg:pypi/rg-sbom-safe@3.0.0',
      ]);
      const root = sbom.dependencies!.find((d) => d.ref === sbom.metadata.component['bom-ref'])!;
      expect(root.dependsOn!.sort()).toEqual(snapshotPurls.filter((p) => p !== 'pkg:npm/rg-sbom-leaf@2.0.0'));
      // What the lock file recorded: the integrity as a hash, the licence, the edge.
      const web = sbom.components!.find((c) => c.purl === 'pkg:npm/rg-sbom-web@1.0.0')!;
      expect(web.hashes).toEqual([{ alg: 'SHA-512', content: Buffer.alloc(64, 7).toString('hex') }]);
      expect(web.licenses).toEqual([{ license: { id: 'MIT' } }]);
      expect(sbom.dependencies!.find((d) => d.ref === web['bom-ref'])!.dependsOn).toEqual([
        'pkg:npm/rg-sbom-leaf@2.0.0',
      ]);
    });

    it('exports the same document again, and the same scan by scan_id', async () => {
      expect((await ok(`/repos/${repoId}/sbom?format=cyclonedx`)).text).toBe(JSON.stringify(sbom));
      expect((await ok(`/repos/${repoId}/sbom?scan_id=${scan.id.toUpperCase()}`)).text).toBe(
        JSON.stringify(sbom),
      );
    });

    it('exports SPDX 2.3: valid against the official schema, a package per component by purl', async () => {
      const { body, text, type } = await ok(`/repos/${repoId}/sbom?format=spdx`);
      expect(type).toBe('application/spdx+json');
      expect(spdxErrors(text)).toBeNull();
      const purls = (body.packages as { externalRefs?: { referenceLocator: string }[] }[])
        .flatMap((p) => p.externalRefs?.map((r) => r.referenceLocator) ?? [])
        .sort();
      expect(purls).toEqual(snapshotPurls);
      expect(body.documentNamespace).toContain(scan.id);
    });

    it('exports a CycloneDX VEX whose BOM-Links resolve to the SBOM’s components', async () => {
      const { body, text } = await ok(`/repos/${repoId}/vex`);
      expect(await cycloneDxErrors(text)).toBeNull();
      const vex = body as CdxBom;
      const components = new Set(sbom.components!.map((c) => c['bom-ref']));
      const links = vex.vulnerabilities!.flatMap((v) => v.affects.map((a) => a.ref));
      expect(links.length).toBe(2);
      for (const link of links) {
        const [document, ref] = link.split('#') as [string, string];
        expect(document).toBe(`urn:cdx:${scan.id}/1`);
        expect(components.has(decodeURIComponent(ref))).toBe(true);
      }
      const byId = new Map(vex.vulnerabilities!.map((v) => [v.id, v]));
      expect(byId.get(ALPHA)!.analysis).toEqual({ state: 'in_triage' });
      expect(byId.get(BETA)!.analysis).toEqual({ state: 'not_affected', detail: 'only in a test fixture' });
    });

    it('exports OpenVEX 0.2.0: valid, products by purl, the decisions mapped', async () => {
      const { body, text } = await ok(`/repos/${repoId}/vex?format=openvex`);
      expect(openVexErrors(text)).toBeNull();
      const statements = body.statements as {
        vulnerability: { name: string; aliases?: string[] };
        products: { '@id': string }[];
        status: string;
        impact_statement?: string;
      }[];
      expect(
        statements.map((s) => [s.vulnerability.name, s.products.map((p) => p['@id']), s.status]).sort(),
      ).toEqual([
        [ALPHA, ['pkg:pypi/rg-sbom-alpha@1.0.0'], 'under_investigation'],
        [BETA, ['pkg:pypi/rg-sbom-beta@1.0.0'], 'not_affected'],
      ]);
      expect(statements.find((s) => s.vulnerability.name === ALPHA)!.vulnerability.aliases).toEqual([CVE]);
      expect(statements.find((s) => s.vulnerability.name === BETA)!.impact_statement).toBe(
        'only in a test fixture',
      );
    });

    it('refuses a bad format (400 naming it), an unknown scan, another repository’s scan and another org', async () => {
      const bad = await get(`/repos/${repoId}/sbom?format=xml`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'format' })]);
      const badVex = await get(`/repos/${repoId}/vex?format=spdx`);
      expect(badVex.status).toBe(400);
      expect((await get(`/repos/${repoId}/sbom?scan_id=not-a-uuid`)).status).toBe(400);
      const unknown = await get(`/repos/${repoId}/vex?scan_id=${randomUUID()}`);
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'SCAN_NOT_FOUND']);
      const elsewhere = await get(`/repos/${otherRepoId}/sbom?scan_id=${scan.id}`);
      expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, 'SCAN_NOT_FOUND']);
      const foreign = await get(`/repos/${repoId}/sbom`, other.ownerToken);
      expect(foreign.status).toBe(404);
    });
  });
});
