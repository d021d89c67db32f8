// SBOM import as a source: POST /orgs/{org_id}/sboms through the API process, scanned by the same
// repo-scan workflow on the real Temporal server, worker, PostgreSQL and the OSV stand-in.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { scanEnded, type OrgOwner } from '../support/connected-repos';

const V1 = '/api/v1';
const FIXTURES = path.resolve(__dirname, '../fixtures/manifests/sbom');

const LODASH_ADVISORY = {
  id: 'GHSA-sbom-lodash',
  modified: '2026-01-01T00:00:00Z',
  summary: 'lodash prototype pollution',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
};
const REQUESTS_ADVISORY = {
  id: 'GHSA-sbom-requests',
  modified: '2026-01-01T00:00:00Z',
  summary: 'requests leaks credentials',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'requests' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.20.0' }] }],
    },
  ],
  database_specific: { severity: 'MEDIUM' },
};

const bom = (rootVersion: string, lodash: string) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: `urn:uuid:00000000-0000-4000-8000-${rootVersion.replace(/\D/g, '').padStart(12, '0')}`,
  metadata: { component: { type: 'container', 'bom-ref': 'image', name: 'payments-image' } },
  components: [
    {
      type: 'library',
      'bom-ref': 'lodash',
      name: 'lodash',
      version: lodash,
      purl: `pkg:npm/lodash@${lodash}`,
    },
    {
      type: 'library',
      'bom-ref': 'left-pad',
      name: 'left-pad',
      version: '1.3.0',
      purl: 'pkg:npm/left-pad@1.3.0',
    },
    { type: 'operating-system', 'bom-ref': 'os', name: 'debian' },
  ],
  dependencies: [{ ref: 'image', dependsOn: ['lodash'] }],
});

describe('SBOM import (POST /orgs/{org_id}/sboms)', () => {
  let stack: ApiStack;
  let org: OrgOwner;

  beforeAll(async () => {
    stack = await startApiStack({
      name: 'sbom-import-e2e',
      advisories: [LODASH_ADVISORY, REQUESTS_ADVISORY],
    });
    org = await stack.createOrg('sbom');
  }, 120_000);
  afterAll(async () => stack?.close());

  const upload = (body: string, contentType: string, query = '', token = org.ownerToken, orgId = org.orgId) =>
    stack.call(token, 'POST', `${V1}/orgs/${orgId}/sboms${query}`, body, { 'content-type': contentType });

  const completed = (scanId: string) => scanEnded(stack, org.ownerToken, scanId);

  interface FindingItem {
    status: string;
    vulnerability: { id: string };
    dependency: { name: string; version: string; manifest_path: string };
  }
  const findings = async (repoId: string, status = 'open') =>
    (
      (await stack.call(org.ownerToken, 'GET', `${V1}/repos/${repoId}/findings?status=${status}`)).body
        .items as FindingItem[]
    ).map((f) => ({
      package: f.dependency.name,
      version: f.dependency.version,
      manifest_path: f.dependency.manifest_path,
      vulnerability_id: f.vulnerability.id,
      status: f.status,
    }));

  it('scans an uploaded CycloneDX JSON SBOM as a project; a changed upload is a new snapshot that fixes the finding', async () => {
    const first = await upload(JSON.stringify(bom('1', '4.17.15')), 'application/vnd.cyclonedx+json');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      project_created: true,
      format: 'cyclonedx-json',
      spec_version: '1.6',
      components: 3,
      status: 'QUEUED',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const repoId = first.body.repo_id as string;
    const scan = await completed(first.body.scan_id);
    expect(scan).toMatchObject({ status: 'COMPLETED', commit_sha: first.body.sha256, complete: true });
    expect(scan.verdict).toMatchObject({ status: 'FAIL' });

    const listed = (await stack.call(org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/repos`)).body.items;
    expect(listed).toEqual([
      expect.objectContaining({
        id: repoId,
        provider: 'sbom',
        full_name: 'sbom/payments-image',
        status: 'FAIL',
      }),
    ]);
    expect(await findings(repoId)).toEqual([
      expect.objectContaining({
        package: 'lodash',
        version: '4.17.15',
        vulnerability_id: 'GHSA-sbom-lodash',
        manifest_path: 'sbom.cdx.json',
      }),
    ]);

    // The same document again: the same snapshot (its sha is the commit), nothing new to find.
    const again = await upload(JSON.stringify(bom('1', '4.17.15')), 'application/json');
    expect(again.body).toMatchObject({ repo_id: repoId, project_created: false, sha256: first.body.sha256 });

    const fixed = await upload(JSON.stringify(bom('2', '4.17.21')), 'application/json');
    expect(fixed.status).toBe(202);
    expect(fixed.body).toMatchObject({ repo_id: repoId, project_created: false });
    expect(fixed.body.sha256).not.toBe(first.body.sha256);
    await completed(fixed.body.scan_id);
    expect(await findings(repoId)).toEqual([]);
    expect(await findings(repoId, 'fixed')).toEqual([
      expect.objectContaining({ package: 'lodash', version: '4.17.15', status: 'fixed' }),
    ]);
    const repo = (await stack.call(org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/repos/${repoId}`)).body;
    expect(repo.status).toBe('OK');
  }, 180_000);

  it.each([
    ['a CycloneDX XML', 'app.cdx.xml', 'application/xml', 'sbom.cdx.xml', ['lodash']],
    ['an SPDX JSON', 'app.spdx.json', 'application/spdx+json', 'sbom.spdx.json', ['lodash', 'requests']],
  ])(
    'scans %s upload too',
    async (_, file, contentType, manifest, vulnerable) => {
      const text = readFileSync(path.join(FIXTURES, file), 'utf8');
      const answer = await upload(text, contentType, `?name=${encodeURIComponent(`portal ${file}`)}`);
      expect(answer.status).toBe(202);
      const scan = await completed(answer.body.scan_id);
      expect(scan.status).toBe('COMPLETED');
      const found = await findings(answer.body.repo_id);
      expect(found.map((f) => f.package).sort()).toEqual(vulnerable);
      expect(new Set(found.map((f) => f.manifest_path))).toEqual(new Set([manifest]));
    },
    120_000,
  );

  describe('hostile and unauthorised uploads', () => {
    it('answers 415 for a type that is no SBOM type', async () => {
      const answer = await upload('{}', 'text/plain');
      expect(answer.status).toBe(415);
      expect(answer.body.error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: [{ field: 'content-type' }],
      });
    });

    it.each([
      ['not an SBOM', '{"lockfileVersion": 3}', 'SBOM_FORMAT_UNSUPPORTED', 'bomFormat'],
      [
        'an unsupported spec version',
        '{"bomFormat": "CycloneDX", "specVersion": "1.1"}',
        'SBOM_VERSION_UNSUPPORTED',
        'specVersion',
      ],
      [
        'an SPDX 2.1 document',
        '{"spdxVersion": "SPDX-2.1", "name": "x", "packages": []}',
        'SBOM_VERSION_UNSUPPORTED',
        'spdxVersion',
      ],
      [
        'a DOCTYPE',
        '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]><bom>&x;</bom>',
        'SBOM_INVALID',
        'body',
      ],
      [
        'a document cut short',
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [',
        'SBOM_INVALID',
        'body',
      ],
      [
        'nothing to name the project by',
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}',
        'REQUEST_INVALID',
        'name',
      ],
    ])('answers 400 for %s, naming the field', async (_, body, code, field) => {
      const type = body.startsWith('<') ? 'application/xml' : 'application/json';
      const answer = await upload(body, type);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code, details: [expect.objectContaining({ field })] });
    });

    it('answers 413 for a document of 100,000 components, before storing anything', async () => {
      const components = Array.from({ length: 100_000 }, (_, i) => ({ purl: `pkg:npm/p${i}@1.0.0` }));
      const answer = await upload(
        JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components }),
        'application/json',
        '?name=huge',
      );
      expect(answer.status).toBe(413);
      const listed = (await stack.call(org.ownerToken, 'GET', `${V1}/orgs/${org.orgId}/repos`)).body
        .items as { name: string }[];
      expect(listed.map((r) => r.name)).not.toContain('huge');
    });

    it('answers 404 for another org, and 403 for a viewer', async () => {
      const other = await stack.createOrg('sbom-other');
      const body = JSON.stringify(bom('9', '4.17.15'));
      expect((await upload(body, 'application/json', '', org.ownerToken, other.orgId)).status).toBe(404);
      const key = await stack.call(org.ownerToken, 'POST', `${V1}/auth/api-keys`, {
        org_id: org.orgId,
        name: 'viewer',
        role: 'viewer',
      });
      const viewer = await upload(body, 'application/json', '', key.body.key as string);
      expect(viewer.status).toBe(403);
    });
  });

  it('disconnects an SBOM project like a repository: its uploads go, its findings stay readable', async () => {
    const answer = await upload(JSON.stringify(bom('3', '4.17.15')), 'application/json', '?name=to-remove');
    await completed(answer.body.scan_id);
    const removed = await stack.call(
      org.ownerToken,
      'DELETE',
      `${V1}/orgs/${org.orgId}/repos/${answer.body.repo_id}`,
    );
    expect(removed.status).toBe(204);
    expect((await findings(answer.body.repo_id)).map((f) => f.package)).toEqual(['lodash']);
    // The name is free again: a new upload is a new project.
    const anew = await upload(JSON.stringify(bom('3', '4.17.15')), 'application/json', '?name=to-remove');
    expect(anew.body).toMatchObject({ project_created: true });
    expect(anew.body.repo_id).not.toBe(answer.body.repo_id);
    await completed(anew.body.scan_id);
  }, 120_000);
});
