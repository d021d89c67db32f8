import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import { cyclonedxXmlParser } from './cyclonedx-xml.parser';

const fixture = manifestFixtures('sbom');
const parse = (text: string) => cyclonedxXmlParser.parse('sbom.cdx.xml', text);
const bom = (components: string) =>
  `<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>${components}</components></bom>`;

describe('cyclonedxXmlParser', () => {
  it('reads the components of an XML BOM as its JSON form would be read', () => {
    const { dependencies, diagnostics } = parseManifest('sbom.cdx.xml', fixture('app.cdx.xml'));
    expect(dependencies.map((d) => [d.ecosystem, d.name, d.version, d.scope, d.direct])).toStrictEqual([
      ['npm', '@babel/core', '7.0.0', 'runtime', true],
      ['npm', 'lodash', '4.17.15', 'runtime', false],
      ['Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'optional', false],
      ['Go', 'github.com/gin-gonic/gin', 'v1.6.0', 'runtime', true],
      ['crates.io', 'serde', '1.0.130', 'runtime', false],
      ['npm', 'jest', '29.0.0', 'dev', false],
    ]);
    expect(dependencies[0]).toMatchObject({
      line: 20,
      hashes: [
        { algorithm: 'SHA-256', content: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
      ],
      licenses: ['MIT'],
      dependsOn: [{ name: 'lodash', version: '4.17.15' }],
    });
    expect(dependencies[1]).toMatchObject({ licenses: ['MIT OR Apache-2.0'] });
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'NO_PURL',
        message: expect.stringContaining('ubuntu & friends') as unknown as string,
      },
    ]);
  });

  it('refuses a DOCTYPE before any parser sees it: no entity is ever expanded', () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n' +
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component><name>&b;</name><purl>pkg:npm/x@1.0.0</purl></component></components></bom>';
    expect(parse(laughs)).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: 'sbom.cdx.xml declares a DOCTYPE; a BOM may not',
          line: 2,
        },
      ],
    });
    const external = '<!DOCTYPE bom SYSTEM "file:///etc/passwd">\n<bom><components/></bom>';
    expect(parse(external).diagnostics[0]).toMatchObject({ code: 'INVALID_SYNTAX', line: 1 });
  });

  it('leaves an entity XML does not define as written', () => {
    const { dependencies } = parse(
      bom('<component><name>a&nbsp;b</name><purl>pkg:npm/ok@1.0.0</purl></component>'),
    );
    expect(dependencies).toHaveLength(1);
  });

  it('refuses a BOM cut short, naming the line', () => {
    const text = fixture('app.cdx.xml');
    const cut = text.slice(0, text.indexOf('<component type="library" bom-ref="gin">'));
    expect(parse(cut)).toStrictEqual({
      dependencies: [],
      diagnostics: [
        expect.objectContaining({
          severity: 'error',
          code: 'INVALID_SYNTAX',
          line: expect.any(Number) as unknown as number,
        }),
      ],
    });
  });

  it('refuses elements nested deeper than any BOM', () => {
    const text = bom(`${'<component><components>'.repeat(60)}${'</components></component>'.repeat(60)}`);
    expect(parse(text).diagnostics).toStrictEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'INVALID_SYNTAX',
        message: expect.stringContaining('nested'),
      }),
    ]);
  });

  it('refuses what is not a <bom>, and a tag longer than 64 KiB', () => {
    expect(parse('<project><dependencies/></project>').diagnostics[0]).toMatchObject({
      code: 'INVALID_SYNTAX',
    });
    expect(parse(`<bom a="${'x'.repeat(70_000)}"/>`).diagnostics[0]).toMatchObject({
      code: 'INVALID_SYNTAX',
      message: expect.stringContaining('longer than') as unknown as string,
    });
  });

  it('notes a BOM without the CycloneDX namespace, and reads it', () => {
    const { dependencies, diagnostics } = parse(
      '<bom><components><component><purl>pkg:gem/rails@7.0.4</purl></component></components></bom>',
    );
    expect(dependencies).toHaveLength(1);
    expect(diagnostics).toStrictEqual([expect.objectContaining({ code: 'UNSUPPORTED_VERSION' })]);
  });
});
