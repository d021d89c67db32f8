import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import { spdxJsonParser } from './spdx-json.parser';

const fixture = manifestFixtures('sbom');
const parse = (text: string) => spdxJsonParser.parse('sbom.spdx.json', text);

describe('spdxJsonParser', () => {
  it('reads each package with a purl; the described package is not a dependency of itself', () => {
    const { dependencies, diagnostics } = parseManifest('sbom.spdx.json', fixture('app.spdx.json'));
    expect(dependencies.map((d) => [d.ecosystem, d.name, d.version, d.scope, d.direct])).toStrictEqual([
      ['npm', 'lodash', '4.17.15', 'runtime', true],
      ['PyPI', 'requests', '2.19.0', 'runtime', true],
      ['PyPI', 'pytest', '7.0.0', 'dev', true],
    ]);
    expect(dependencies[0]).toMatchObject({
      hashes: [{ algorithm: 'SHA-1', content: 'a9f4f9e5a3d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4' }],
      licenses: ['MIT'],
      // requests is PyPI: an npm package's graph names only npm packages.
      dependsOn: [],
    });
    expect(dependencies[1]).toMatchObject({ dependsOn: [] });
    expect(diagnostics.map((d) => [d.code, d.severity])).toStrictEqual([
      ['NO_PURL', 'warning'],
      ['UNSUPPORTED_ECOSYSTEM', 'warning'],
    ]);
    expect(diagnostics[0]?.message).toContain('vendored-lib');
    expect(diagnostics[1]?.message).toContain('apk (1)');
  });

  it('gives each package the line of its purl', () => {
    const text = fixture('app.spdx.json');
    const lines = text.split('\n');
    for (const d of parse(text).dependencies)
      expect(lines[(d.line as number) - 1]).toContain('"referenceLocator": "pkg:');
  });

  it('refuses what is not SPDX, and notes a version it does not know', () => {
    expect(parse('{"bomFormat": "CycloneDX"}').diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'INVALID_SYNTAX',
    });
    expect(parse('{"spdxVersion": "SPDX-3.0", "packages": []}').diagnostics).toStrictEqual([
      expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }),
    ]);
  });

  it('without relationships, says nothing of a graph', () => {
    const text = JSON.stringify({
      spdxVersion: 'SPDX-2.2',
      packages: [
        {
          SPDXID: 'a',
          externalRefs: [
            {
              referenceCategory: 'PACKAGE-MANAGER',
              referenceType: 'purl',
              referenceLocator: 'pkg:cargo/serde@1.0.0',
            },
          ],
        },
      ],
    });
    const [dependency] = parse(text).dependencies;
    expect(dependency).toStrictEqual({
      ecosystem: 'crates.io',
      name: 'serde',
      version: '1.0.0',
      scope: 'runtime',
      direct: false,
      manifestPath: 'sbom.spdx.json',
      line: 1,
    });
  });
});
