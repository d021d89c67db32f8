import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { itSurvivesHostileInput, parseSafely, RUNS } from '../hostile-input.test-helper';
import { cyclonedxJsonParser } from './cyclonedx-json.parser';
import { cyclonedxXmlParser } from './cyclonedx-xml.parser';
import { describeSbom } from './sbom-format';
import { spdxJsonParser } from './spdx-json.parser';
import { ValidationError } from '../../../errors';

const fixture = manifestFixtures('sbom');

describe('SBOM parsers on hostile input', () => {
  describe('cyclonedx-json', () => {
    itSurvivesHostileInput(cyclonedxJsonParser, 'sbom.cdx.json', fixture('app.cdx.json'), {
      entries: 'a component',
      wrap: (text) => `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [${text}]}`,
    });
  });
  describe('cyclonedx-xml', () => {
    itSurvivesHostileInput(cyclonedxXmlParser, 'sbom.cdx.xml', fixture('app.cdx.xml'), {
      entries: 'a component',
      wrap: (text) =>
        `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component>${text}</component></components></bom>`,
    });
  });
  describe('spdx-json', () => {
    itSurvivesHostileInput(spdxJsonParser, 'sbom.spdx.json', fixture('app.spdx.json'), {
      entries: 'a package',
      wrap: (text) => `{"spdxVersion": "SPDX-2.3", "packages": [${text}]}`,
    });
  });

  // Any JSON at all in the places a document's fields go: shapes no tool writes.
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const component = fc.dictionary(
    fc.constantFrom(
      'bom-ref',
      'name',
      'group',
      'version',
      'purl',
      'scope',
      'hashes',
      'licenses',
      'components',
      'properties',
    ),
    fc.oneof(anyJson, fc.constantFrom('pkg:npm/a@1', 'pkg:maven/g/a@1', 'pkg:deb/x@1', 'pkg:', 'excluded')),
  );

  it('never throws on arbitrary JSON in a CycloneDX BOM, and answers well-formed', () => {
    fc.assert(
      fc.property(
        fc.array(component, { maxLength: 8 }),
        anyJson,
        anyJson,
        (components, dependencies, metadata) => {
          const text = JSON.stringify({
            bomFormat: 'CycloneDX',
            specVersion: '1.6',
            components,
            dependencies,
            metadata,
          });
          parseSafely(cyclonedxJsonParser, 'sbom.cdx.json', text);
        },
      ),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON in an SPDX document, and answers well-formed', () => {
    fc.assert(
      fc.property(
        fc.array(anyJson, { maxLength: 8 }),
        fc.array(anyJson, { maxLength: 8 }),
        anyJson,
        (packages, relationships, describes) => {
          const text = JSON.stringify({
            spdxVersion: 'SPDX-2.3',
            packages,
            relationships,
            documentDescribes: describes,
          });
          parseSafely(spdxJsonParser, 'sbom.spdx.json', text);
        },
      ),
      RUNS,
    );
  });

  it('never throws on arbitrary XML elements in a CycloneDX BOM', () => {
    const name = fc.constantFrom(
      'component',
      'components',
      'purl',
      'name',
      'hash',
      'hashes',
      'license',
      'licenses',
      'dependency',
      'dependencies',
      'bom',
      'scope',
    );
    const element: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
      el: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 12 }).map((s) => s.replace(/[<&]/g, '')),
        fc
          .tuple(
            name,
            fc.array(tie('el'), { maxLength: 4 }),
            fc.constantFrom('', ' ref="a"', ' bom-ref="pkg:npm/a@1"', ' alg="SHA-1"'),
          )
          .map(([n, children, attrs]) => `<${n}${attrs}>${children.join('')}</${n}>`),
      ),
    })).el;
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), (children) => {
        parseSafely(
          cyclonedxXmlParser,
          'sbom.cdx.xml',
          `<bom xmlns="http://cyclonedx.org/schema/bom/1.4">${children.join('')}</bom>`,
        );
      }),
      RUNS,
    );
  });

  it('describeSbom accepts or refuses with a ValidationError naming a field, never anything else', () => {
    const documents = fc.oneof(
      fc.string({ maxLength: 200 }),
      anyJson.map((v) => JSON.stringify(v)),
      fc
        .array(component, { maxLength: 3 })
        .map((components) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components })),
      anyJson.map((v) => JSON.stringify({ spdxVersion: v, packages: [] })),
    );
    fc.assert(
      fc.property(documents, (text) => {
        try {
          describeSbom(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).details.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });
});
