import type { ParsedDependency } from '../manifest/manifest.types';
import { buildInventory, directRefs, type InventoryFinding } from './sbom-inventory';

const dep = (over: Partial<ParsedDependency> & Pick<ParsedDependency, 'name'>): ParsedDependency => ({
  ecosystem: 'npm',
  version: '1.0.0',
  scope: 'runtime',
  direct: false,
  manifestPath: 'package-lock.json',
  ...over,
});

const input = (dependencies: ParsedDependency[], findings: InventoryFinding[] = []) => ({
  documentId: '3F2504E0-4F89-41D3-9A0C-0305E82C3301',
  timestamp: new Date('2026-12-01T10:00:00Z'),
  tool: { name: 'RepoGuard', version: '0.1.0' },
  subject: { name: 'acme/shop', version: 'abc123' },
  dependencies,
  findings,
});

const finding = (over: Partial<InventoryFinding>): InventoryFinding => ({
  ecosystem: 'npm',
  packageName: 'lodash',
  version: '4.17.20',
  vulnerabilityId: 'GHSA-1',
  aliases: ['CVE-2021-1'],
  summary: 'Prototype pollution',
  severity: 'HIGH',
  cvssScore: 7.4,
  fixedVersions: ['4.17.21'],
  analysis: null,
  ...over,
});

describe('buildInventory', () => {
  it('makes one component per purl, widest scope, direct if any declaration is, sorted by purl', () => {
    const inventory = buildInventory(
      input([
        dep({ name: 'zod', direct: true }),
        dep({ name: '@babel/core', version: '7.0.0', scope: 'dev', manifestPath: 'a/package-lock.json' }),
        dep({ name: '@babel/core', version: '7.0.0', scope: 'runtime', manifestPath: 'b/package-lock.json' }),
        dep({ name: 'fsevents', scope: 'optional', direct: true }),
        dep({ name: 'jest', scope: 'dev', direct: true }),
      ]),
    );
    expect(inventory.serialNumber).toBe('urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    expect(
      inventory.components.map((c) => [
        c.ref,
        c.group,
        c.name,
        c.version,
        c.scope,
        c.direct,
        c.manifestPaths,
      ]),
    ).toEqual([
      [
        'pkg:npm/%40babel/core@7.0.0',
        '@babel',
        'core',
        '7.0.0',
        'required',
        false,
        ['a/package-lock.json', 'b/package-lock.json'],
      ],
      ['pkg:npm/fsevents@1.0.0', null, 'fsevents', '1.0.0', 'optional', true, ['package-lock.json']],
      ['pkg:npm/jest@1.0.0', null, 'jest', '1.0.0', 'excluded', true, ['package-lock.json']],
      ['pkg:npm/zod@1.0.0', null, 'zod', '1.0.0', 'required', true, ['package-lock.json']],
    ]);
    expect(directRefs(inventory)).toEqual([
      'pkg:npm/fsevents@1.0.0',
      'pkg:npm/jest@1.0.0',
      'pkg:npm/zod@1.0.0',
    ]);
  });

  it('keeps hashes and licences, and edges only to components it has', () => {
    const [express] = buildInventory(
      input([
        dep({
          name: 'express',
          hashes: [
            { algorithm: 'SHA-512', content: 'ab' },
            { algorithm: 'SHA-1', content: 'cd' },
          ],
          licenses: ['MIT', 'Apache-2.0'],
          dependsOn: [
            { name: 'qs', version: '6.0.0' },
            { name: 'missing', version: '1.0.0' },
            { name: 'express', version: '1.0.0' },
          ],
        }),
        dep({ name: 'qs', version: '6.0.0' }),
      ]),
    ).components;
    expect(express).toMatchObject({
      hashes: [
        { algorithm: 'SHA-1', content: 'cd' },
        { algorithm: 'SHA-512', content: 'ab' },
      ],
      licenses: ['Apache-2.0', 'MIT'],
      dependsOn: ['pkg:npm/qs@6.0.0'],
    });
  });

  it('gives an unpinned dependency a versionless purl', () => {
    const inventory = buildInventory(input([dep({ ecosystem: 'PyPI', name: 'flask', version: null })]));
    expect(inventory.components.map((c) => [c.ref, c.version])).toEqual([['pkg:pypi/flask', null]]);
  });

  it('groups findings by vulnerability and decision, affecting the components by ref', () => {
    const ignored = {
      state: 'not_affected',
      justification: null,
      responses: [],
      detail: 'test only',
    } as const;
    const inventory = buildInventory(
      input(
        [
          dep({ name: 'lodash', version: '4.17.20' }),
          dep({ name: 'lodash', version: '4.17.19', manifestPath: 'b' }),
        ],
        [
          finding({}),
          finding({ version: '4.17.19' }),
          finding({ vulnerabilityId: 'GHSA-2', aliases: ['GHSA-2'], analysis: ignored }),
          finding({ vulnerabilityId: 'GHSA-2', aliases: [], version: '4.17.19' }),
          finding({ vulnerabilityId: 'GHSA-9', packageName: 'not-in-the-snapshot' }),
        ],
      ),
    );
    expect(
      inventory.vulnerabilities.map((v) => [v.id, v.aliases, v.analysis?.state ?? null, v.affects]),
    ).toEqual([
      ['GHSA-1', ['CVE-2021-1'], null, ['pkg:npm/lodash@4.17.19', 'pkg:npm/lodash@4.17.20']],
      ['GHSA-2', [], null, ['pkg:npm/lodash@4.17.19']],
      ['GHSA-2', [], 'not_affected', ['pkg:npm/lodash@4.17.20']],
    ]);
  });

  it('is the same document whatever the order of its input', () => {
    const deps = [dep({ name: 'b' }), dep({ name: 'a', dependsOn: [{ name: 'b', version: '1.0.0' }] })];
    expect(buildInventory(input([...deps].reverse()))).toEqual(buildInventory(input(deps)));
  });
});
