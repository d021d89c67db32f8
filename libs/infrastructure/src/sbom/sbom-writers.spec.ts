import {
  buildInventory,
  parseManifest,
  parseVexDocument,
  VEX_DETAIL_MAX_LENGTH,
  type Inventory,
  type InventoryInput,
  type VexAnalysis,
} from '@repoguard/domain';
import { cycloneDxErrors, openVexErrors, spdxErrors } from '../../../../test/support/sbom-schemas';
import { CycloneDxSbomWriter } from './cyclonedx-sbom-writer';
import { CycloneDxVexWriter } from './cyclonedx-vex-writer';
import { OpenVexWriter } from './openvex-writer';
import { SpdxSbomWriter } from './spdx-sbom-writer';

const SCAN_ID = '5b1f0c9e-7a52-4d8e-9d0e-2f6b1c3a4d5e';
const analysis = (state: VexAnalysis['state'], over: Partial<VexAnalysis> = {}): VexAnalysis => ({
  state,
  justification: null,
  responses: [],
  detail: null,
  ...over,
});
const finding = (vulnerabilityId: string, packageName: string, version: string, a: VexAnalysis | null) => ({
  ecosystem: 'npm' as const,
  packageName,
  version,
  vulnerabilityId,
  aliases: [`CVE-2024-${vulnerabilityId.length}`],
  summary: `${vulnerabilityId} in ${packageName}`,
  severity: 'HIGH',
  cvssScore: vulnerabilityId === 'GHSA-unrated' ? null : 7.5,
  fixedVersions: ['9.9.9'],
  analysis: a,
});

const INPUT: InventoryInput = {
  documentId: SCAN_ID,
  timestamp: new Date('2026-12-01T10:00:00.000Z'),
  tool: { name: 'RepoGuard', version: '0.1.0' },
  subject: { name: 'acme/shop', version: 'a'.repeat(40) },
  dependencies: [
    {
      ecosystem: 'npm',
      name: 'express',
      version: '4.17.1',
      scope: 'runtime',
      direct: true,
      manifestPath: 'package-lock.json',
      hashes: [{ algorithm: 'SHA-512', content: 'ab'.repeat(64) }],
      licenses: ['MIT'],
      dependsOn: [{ name: 'qs', version: '6.7.0' }],
    },
    {
      ecosystem: 'npm',
      name: 'qs',
      version: '6.7.0',
      scope: 'runtime',
      direct: false,
      manifestPath: 'package-lock.json',
      licenses: ['BSD-3-Clause OR MIT'],
    },
    {
      ecosystem: 'npm',
      name: '@types/node',
      version: '20.0.0',
      scope: 'dev',
      direct: true,
      manifestPath: 'package-lock.json',
      licenses: ['Some Custom Licence'],
    },
    {
      ecosystem: 'PyPI',
      name: 'flask',
      version: null,
      scope: 'runtime',
      direct: true,
      manifestPath: 'requirements.txt',
    },
  ],
  findings: [
    finding('GHSA-open', 'qs', '6.7.0', null),
    finding(
      'GHSA-ignored',
      'express',
      '4.17.1',
      analysis('not_affected', { detail: 'not reachable from our routes' }),
    ),
    finding(
      'GHSA-unrated',
      'express',
      '4.17.1',
      analysis('not_affected', { justification: 'code_not_reachable' }),
    ),
    finding('GHSA-fp', 'qs', '6.7.0', analysis('false_positive')),
    finding('GHSA-fixed', 'qs', '6.7.0', analysis('resolved')),
    finding('GHSA-exploitable', 'express', '4.17.1', analysis('exploitable', { responses: ['update'] })),
  ],
};
const inventory: Inventory = buildInventory(INPUT);

interface CdxComponent {
  'bom-ref': string;
  purl: string;
  name: string;
  group?: string;
  version?: string;
  scope?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: ({ license: { id?: string; name?: string } } | { expression: string })[];
}
interface CdxBom {
  serialNumber: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: { name: string; version: string }[] };
    component: { 'bom-ref': string; type: string; name: string; version: string };
  };
  components?: CdxComponent[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: {
    id: string;
    source?: { name: string; url: string };
    ratings?: { severity?: string; score?: number }[];
    analysis?: { state: string; justification?: string; response?: string[]; detail?: string };
    affects: { ref: string }[];
  }[];
}

describe('CycloneDxSbomWriter', () => {
  const writer = new CycloneDxSbomWriter();
  const text = writer.write(inventory);
  const bom = JSON.parse(text) as CdxBom;

  it('writes a CycloneDX 1.6 document the strict schema accepts, identical on a re-export', async () => {
    expect(await cycloneDxErrors(text)).toBeNull();
    expect(writer.write(inventory)).toBe(text);
    expect(writer.mediaType).toBe('application/vnd.cyclonedx+json; version=1.6');
  });

  it('names the scan, the tool and the repository at its commit', () => {
    expect(bom.serialNumber).toBe(`urn:uuid:${SCAN_ID}`);
    expect(bom.metadata.timestamp).toBe('2026-12-01T10:00:00.000Z');
    expect(bom.metadata.tools.components).toEqual([
      expect.objectContaining({ name: 'RepoGuard', version: '0.1.0' }),
    ]);
    expect(bom.metadata.component).toMatchObject({
      type: 'application',
      name: 'acme/shop',
      version: 'a'.repeat(40),
    });
  });

  it('gives each component its purl as bom-ref, its scope, hashes and licences', () => {
    expect(bom.components!.map((c) => [c['bom-ref'], c.purl, c.group, c.name, c.version, c.scope])).toEqual([
      [
        'pkg:npm/%40types/node@20.0.0',
        'pkg:npm/%40types/node@20.0.0',
        '@types',
        'node',
        '20.0.0',
        'excluded',
      ],
      ['pkg:npm/express@4.17.1', 'pkg:npm/express@4.17.1', undefined, 'express', '4.17.1', 'required'],
      ['pkg:npm/qs@6.7.0', 'pkg:npm/qs@6.7.0', undefined, 'qs', '6.7.0', 'required'],
      ['pkg:pypi/flask', 'pkg:pypi/flask', undefined, 'flask', undefined, 'required'],
    ]);
    const [types, express, qs] = bom.components!;
    expect(express!.hashes).toEqual([{ alg: 'SHA-512', content: 'ab'.repeat(64) }]);
    expect(express!.licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(qs!.licenses).toEqual([{ expression: 'BSD-3-Clause OR MIT' }]);
    expect(types!.licenses).toEqual([{ license: { name: 'Some Custom Licence' } }]);
  });

  it('gives the graph: the repository on its direct dependencies, each on its own', () => {
    const root = bom.metadata.component['bom-ref'];
    expect(bom.dependencies).toEqual(
      expect.arrayContaining([
        {
          ref: root,
          dependsOn: ['pkg:npm/%40types/node@20.0.0', 'pkg:npm/express@4.17.1', 'pkg:pypi/flask'],
        },
        { ref: 'pkg:npm/express@4.17.1', dependsOn: ['pkg:npm/qs@6.7.0'] },
      ]),
    );
  });

  it('lists the vulnerabilities it is given, affecting components by bom-ref (the CLI’s report)', () => {
    const qs = bom.vulnerabilities!.find((v) => v.id === 'GHSA-open')!;
    expect(qs.affects).toEqual([{ ref: 'pkg:npm/qs@6.7.0' }]);
    expect(qs.analysis).toEqual({ state: 'in_triage' });
  });
});

describe('CycloneDxVexWriter', () => {
  const text = new CycloneDxVexWriter().write(inventory);
  const vex = JSON.parse(text) as CdxBom;

  it('writes CycloneDX 1.6 the strict schema accepts, with a serial number of its own', async () => {
    expect(await cycloneDxErrors(text)).toBeNull();
    expect(vex.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(vex.serialNumber).not.toBe(`urn:uuid:${SCAN_ID}`);
    expect(new CycloneDxVexWriter().write(inventory)).toBe(text);
  });

  it('affects components by BOM-Link to the SBOM of the same scan', () => {
    const refs = vex.vulnerabilities!.flatMap((v) => v.affects.map((a) => a.ref));
    expect(new Set(refs)).toEqual(
      new Set([
        `urn:cdx:${SCAN_ID}/1#pkg%3Anpm%2Fqs%406.7.0`,
        `urn:cdx:${SCAN_ID}/1#pkg%3Anpm%2Fexpress%404.17.1`,
      ]),
    );
  });

  it('states each decision as CycloneDX analysis, with the source and rating', () => {
    const byId = new Map(vex.vulnerabilities!.map((v) => [v.id, v]));
    expect(byId.get('GHSA-open')!.analysis).toEqual({ state: 'in_triage' });
    expect(byId.get('GHSA-ignored')!.analysis).toEqual({
      state: 'not_affected',
      detail: 'not reachable from our routes',
    });
    expect(byId.get('GHSA-unrated')!.analysis).toEqual({
      state: 'not_affected',
      justification: 'code_not_reachable',
    });
    expect(byId.get('GHSA-exploitable')!.analysis).toEqual({ state: 'exploitable', response: ['update'] });
    expect(byId.get('GHSA-open')!.source).toEqual({
      name: 'OSV',
      url: 'https://osv.dev/vulnerability/GHSA-open',
    });
    expect(byId.get('GHSA-open')!.ratings).toEqual([{ severity: 'high', score: 7.5, method: 'other' }]);
    expect(byId.get('GHSA-unrated')!.ratings).toEqual([{ severity: 'high' }]);
    expect(vex.components ?? []).toEqual([]);
  });
});

describe('SpdxSbomWriter', () => {
  const writer = new SpdxSbomWriter();
  const text = writer.write(inventory);
  interface SpdxDoc {
    SPDXID: string;
    documentNamespace: string;
    creationInfo: { created: string; creators: string[] };
    documentDescribes?: string[];
    packages: {
      SPDXID: string;
      name: string;
      versionInfo?: string;
      licenseDeclared: string;
      licenseConcluded: string;
      checksums?: { algorithm: string; checksumValue: string }[];
      externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
    }[];
    relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  }
  const doc = JSON.parse(text) as SpdxDoc;
  const id = (purl: string) =>
    doc.packages.find((p) => p.externalRefs?.some((r) => r.referenceLocator === purl))!.SPDXID;
  const root = doc.packages.find((p) => !p.externalRefs?.length)!.SPDXID;
  const rel = doc.relationships.map(
    (r) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`,
  );

  it('writes SPDX 2.3 the official schema accepts, identical on a re-export', () => {
    expect(spdxErrors(text)).toBeNull();
    expect(writer.write(inventory)).toBe(text);
    expect(writer.mediaType).toBe('application/spdx+json');
    expect(doc).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
    });
    expect(doc.documentNamespace).toContain(SCAN_ID);
    expect(doc.creationInfo).toEqual({
      created: '2026-12-01T10:00:00Z',
      creators: ['Tool: RepoGuard-0.1.0'],
    });
  });

  it('has a package per component with a safe SPDXID, its purl, checksums and licences', () => {
    const byPurl = new Map(
      doc.packages.map((p) => [p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator, p]),
    );
    expect([...byPurl.keys()].sort()).toEqual([
      'pkg:npm/%40types/node@20.0.0',
      'pkg:npm/express@4.17.1',
      'pkg:npm/qs@6.7.0',
      'pkg:pypi/flask',
      undefined, // the repository itself
    ]);
    for (const p of doc.packages) expect(p.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    expect(new Set(doc.packages.map((p) => p.SPDXID)).size).toBe(doc.packages.length);
    const express = byPurl.get('pkg:npm/express@4.17.1')!;
    expect(express).toMatchObject({ name: 'express', versionInfo: '4.17.1', licenseDeclared: 'MIT' });
    expect(express.checksums).toEqual([{ algorithm: 'SHA512', checksumValue: 'ab'.repeat(64) }]);
    expect(byPurl.get('pkg:npm/qs@6.7.0')!.licenseDeclared).toBe('BSD-3-Clause OR MIT');
    expect(byPurl.get('pkg:npm/%40types/node@20.0.0')!.licenseDeclared).toBe('NOASSERTION');
    expect(byPurl.get('pkg:pypi/flask')!.versionInfo).toBeUndefined();
  });

  it('relates the document to the repository, the repository to its direct dependencies, and the graph', () => {
    expect(rel).toEqual(
      expect.arrayContaining([
        `SPDXRef-DOCUMENT DESCRIBES ${root}`,
        `${root} DEPENDS_ON ${id('pkg:npm/express@4.17.1')}`,
        `${root} DEPENDS_ON ${id('pkg:pypi/flask')}`,
        `${id('pkg:npm/express@4.17.1')} DEPENDS_ON ${id('pkg:npm/qs@6.7.0')}`,
      ]),
    );
    expect(rel).not.toContain(`${root} DEPENDS_ON ${id('pkg:npm/qs@6.7.0')}`);
  });

  it('states a dev dependency as DEV_DEPENDENCY_OF its dependant, so the scope survives an import', () => {
    expect(rel).toContain(`${id('pkg:npm/%40types/node@20.0.0')} DEV_DEPENDENCY_OF ${root}`);
    expect(rel).not.toContain(`${root} DEPENDS_ON ${id('pkg:npm/%40types/node@20.0.0')}`);
    const read = parseManifest('sbom.spdx.json', text);
    expect(
      Object.fromEntries(read.dependencies.map((d) => [`${d.name}@${d.version ?? ''}`, d.scope])),
    ).toEqual({
      'express@4.17.1': 'runtime',
      'qs@6.7.0': 'runtime',
      '@types/node@20.0.0': 'dev',
      'flask@': 'runtime',
    });
  });
});

describe('OpenVexWriter', () => {
  const text = new OpenVexWriter().write(inventory);
  interface OpenVexDoc {
    '@context': string;
    '@id': string;
    author: string;
    timestamp: string;
    version: number;
    statements: {
      vulnerability: { name: string; aliases?: string[] };
      products: { '@id': string }[];
      status: string;
      justification?: string;
      impact_statement?: string;
      action_statement?: string;
    }[];
  }
  const doc = JSON.parse(text) as OpenVexDoc;

  it('writes OpenVEX 0.2.0 its schema accepts, identical on a re-export', () => {
    expect(openVexErrors(text)).toBeNull();
    expect(new OpenVexWriter().write(inventory)).toBe(text);
    expect(doc['@context']).toBe('https://openvex.dev/ns/v0.2.0');
    expect(doc['@id']).toContain(SCAN_ID);
    expect(doc).toMatchObject({ author: 'RepoGuard', version: 1, timestamp: '2026-12-01T10:00:00.000Z' });
  });

  it('states each vulnerability on its products by purl, with the mapped status', () => {
    const byId = new Map(doc.statements.map((s) => [s.vulnerability.name, s]));
    expect(byId.get('GHSA-open')).toMatchObject({
      vulnerability: { name: 'GHSA-open', aliases: ['CVE-2024-9'] },
      products: [{ '@id': 'pkg:npm/qs@6.7.0' }],
      status: 'under_investigation',
    });
    expect(byId.get('GHSA-ignored')).toMatchObject({
      status: 'not_affected',
      impact_statement: 'not reachable from our routes',
    });
    expect(byId.get('GHSA-unrated')).toMatchObject({
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    expect(byId.get('GHSA-fp')!.status).toBe('not_affected');
    expect(byId.get('GHSA-fixed')!.status).toBe('fixed');
    expect(byId.get('GHSA-exploitable')).toMatchObject({
      status: 'affected',
      action_statement: expect.any(String),
    });
  });

  it('is read back by the VEX import as the decisions it states, details of the longest kind included', () => {
    const long = (word: string) =>
      `${`${word} `.repeat(VEX_DETAIL_MAX_LENGTH).slice(0, VEX_DETAIL_MAX_LENGTH - 1)}.`;
    const decided: [string, VexAnalysis][] = [
      ['GHSA-triage', analysis('in_triage', { detail: long('looking') })],
      ['GHSA-na', analysis('not_affected', { justification: 'code_not_reachable', detail: long('unused') })],
      ['GHSA-fp-long', analysis('false_positive', { detail: long('wrong') })],
      ['GHSA-fp-bare', analysis('false_positive')],
      ['GHSA-exp', analysis('exploitable', { responses: ['update', 'will_not_fix'], detail: long('later') })],
      ['GHSA-exp-bare', analysis('exploitable')],
      ['GHSA-res', analysis('resolved', { detail: long('done') })],
    ];
    const exported = new OpenVexWriter().write(
      buildInventory({ ...INPUT, findings: decided.map(([id, a]) => finding(id, 'qs', '6.7.0', a)) }),
    );
    expect(openVexErrors(exported)).toBeNull();
    const imported = parseVexDocument(JSON.parse(exported));
    expect(new Map(imported.statements.map((s) => [s.vulnerability, s.analysis]))).toEqual(new Map(decided));
  });
});
