import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import { cyclonedxJsonParser } from './cyclonedx-json.parser';
import { MAX_COMPONENT_NESTING, MAX_SBOM_COMPONENTS } from './sbom-document';

const fixture = manifestFixtures('sbom');
const parse = (text: string) => cyclonedxJsonParser.parse('sbom.cdx.json', text);
const bom = (body: Record<string, unknown>) =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', ...body });

describe('cyclonedxJsonParser', () => {
  it('reads every component with a purl as its ecosystem names it, nested ones too', () => {
    const { dependencies } = parseManifest('sbom.cdx.json', fixture('app.cdx.json'));
    expect(dependencies.map((d) => [d.ecosystem, d.name, d.version, d.scope, d.direct])).toStrictEqual([
      ['npm', '@babel/core', '7.0.0', 'runtime', true],
      ['npm', 'lodash', '4.17.15', 'runtime', false],
      ['Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'optional', true],
      ['PyPI', 'django-rest-framework', '3.0', 'dev', false],
      ['Go', 'github.com/gin-gonic/gin', 'v1.6.0', 'runtime', true],
      ['crates.io', 'serde', '1.0.130', 'runtime', false],
      ['RubyGems', 'rails', '7.0.4', 'runtime', false],
      ['Packagist', 'symfony/http-kernel', '5.4.1', 'runtime', false],
    ]);
    expect(dependencies.every((d) => d.manifestPath === 'sbom.cdx.json')).toBe(true);
  });

  it('gives each dependency the line of its purl', () => {
    const text = fixture('app.cdx.json');
    const lines = text.split('\n');
    for (const d of parse(text).dependencies) {
      expect(lines[(d.line as number) - 1]).toContain('"purl"');
    }
  });

  it('keeps hashes it knows, licences, and the graph among dependencies of one ecosystem', () => {
    const { dependencies } = parse(fixture('app.cdx.json'));
    const babel = dependencies.find((d) => d.name === '@babel/core');
    expect(babel?.hashes).toStrictEqual([
      { algorithm: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) },
    ]);
    expect(babel?.licenses).toStrictEqual(['MIT']);
    // log4j is Maven: an npm package's graph names only npm packages.
    expect(babel?.dependsOn).toStrictEqual([{ name: 'lodash', version: '4.17.15' }]);
    expect(dependencies.find((d) => d.name === 'lodash')).toMatchObject({
      licenses: ['MIT OR Apache-2.0'],
      dependsOn: [],
    });
    // The graph has no entry for rails: it says nothing about what rails depends on.
    expect(dependencies.find((d) => d.name === 'rails')).not.toHaveProperty('dependsOn');
  });

  it('counts what it cannot check in one diagnostic per reason, never dropping a component silently', () => {
    const { diagnostics } = parse(fixture('app.cdx.json'));
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'NO_PURL',
        message: expect.stringContaining('1 component has no package URL (purl)') as unknown as string,
      },
      {
        severity: 'warning',
        code: 'UNSUPPORTED_ECOSYSTEM',
        message: expect.stringContaining('deb (1)') as unknown as string,
      },
    ]);
    expect(diagnostics[0]?.message).toContain('README.md');
  });

  it('does not take the described root for a dependency of itself', () => {
    const { dependencies } = parse(fixture('app.cdx.json'));
    expect(dependencies.find((d) => d.name === 'acme-portal')).toBeUndefined();
  });

  it('keeps the capitals of an npm name a tool lowercased in its purl', () => {
    const { dependencies } = parse(
      bom({ components: [{ name: 'JSONStream', version: '1.3.5', purl: 'pkg:npm/jsonstream@1.3.5' }] }),
    );
    expect(dependencies[0]).toMatchObject({ ecosystem: 'npm', name: 'JSONStream', version: '1.3.5' });
  });

  it('takes the version from the component when the purl has none, and notes a component with neither', () => {
    const { dependencies, diagnostics } = parse(
      bom({
        components: [
          { name: 'flask', version: '2.0.0', purl: 'pkg:pypi/flask' },
          { name: 'left-pad', purl: 'pkg:npm/left-pad' },
        ],
      }),
    );
    expect(dependencies.map((d) => [d.name, d.version])).toStrictEqual([
      ['flask', '2.0.0'],
      ['left-pad', null],
    ]);
    expect(diagnostics).toStrictEqual([
      { severity: 'info', code: 'UNPINNED', message: '1 component has no version; never matched: left-pad' },
    ]);
  });

  it('refuses what is not a CycloneDX BOM, and notes a spec version it does not know', () => {
    expect(parse('{"bomFormat": "SPDX"}').diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'INVALID_SYNTAX',
    });
    expect(parse('[]').diagnostics[0]).toMatchObject({ severity: 'error', code: 'INVALID_SYNTAX' });
    expect(parse('{"bomFormat": "CycloneDX", "components": [').diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'INVALID_SYNTAX',
      line: 1,
    });
    expect(parse(bom({ specVersion: '1.7', components: [] })).diagnostics).toStrictEqual([
      expect.objectContaining({ severity: 'warning', code: 'UNSUPPORTED_VERSION' }),
    ]);
  });

  it('reports a purl that is not one as a component it could not read', () => {
    const { dependencies, diagnostics } = parse(bom({ components: [{ name: 'x', purl: 'npm:x@1' }] }));
    expect(dependencies).toStrictEqual([]);
    expect(diagnostics).toStrictEqual([expect.objectContaining({ severity: 'error', code: 'INVALID_PURL' })]);
  });

  describe('on hostile documents', () => {
    it(`reads at most ${MAX_SBOM_COMPONENTS} components and says the rest were not read`, () => {
      const components = Array.from({ length: MAX_SBOM_COMPONENTS + 5 }, (_, i) => ({
        name: `p${i}`,
        version: '1.0.0',
        purl: `pkg:npm/p${i}@1.0.0`,
      }));
      const { dependencies, diagnostics } = parse(bom({ components }));
      expect(dependencies).toHaveLength(MAX_SBOM_COMPONENTS);
      expect(diagnostics).toStrictEqual([
        expect.objectContaining({ severity: 'error', code: 'TOO_MANY_COMPONENTS' }),
      ]);
    });

    it(`does not read components nested deeper than ${MAX_COMPONENT_NESTING} levels`, () => {
      let nested: Record<string, unknown> = { name: 'deepest', purl: 'pkg:npm/deepest@1.0.0' };
      for (let i = 0; i < MAX_COMPONENT_NESTING + 3; i++)
        nested = { name: `n${i}`, purl: `pkg:npm/n${i}@1.0.0`, components: [nested] };
      const { dependencies, diagnostics } = parse(bom({ components: [nested] }));
      expect(dependencies).toHaveLength(MAX_COMPONENT_NESTING + 1);
      expect(diagnostics).toStrictEqual([
        expect.objectContaining({ severity: 'error', code: 'NESTING_LIMIT' }),
      ]);
    });

    it('refuses JSON nested far past any SBOM before parsing it', () => {
      const text = `{"bomFormat":"CycloneDX","x":${'['.repeat(100_000)}`;
      expect(parse(text).diagnostics).toStrictEqual([
        expect.objectContaining({
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: expect.stringContaining('nests deeper'),
        }),
      ]);
    });

    it('takes fields of the wrong type for absent ones', () => {
      const { dependencies } = parse(
        bom({
          metadata: { component: 'root' },
          components: [
            null,
            7,
            { name: ['x'], purl: { a: 1 } },
            {
              purl: 'pkg:npm/ok@1.0.0',
              hashes: 'x',
              licenses: [null, { license: 5 }],
              scope: 9,
              components: {},
            },
          ],
          dependencies: [null, { ref: 5 }, { ref: 'a', dependsOn: 'b' }],
        }),
      );
      expect(dependencies).toStrictEqual([
        {
          ecosystem: 'npm',
          name: 'ok',
          version: '1.0.0',
          scope: 'runtime',
          direct: false,
          manifestPath: 'sbom.cdx.json',
          line: 1,
        },
      ]);
    });
  });
});
