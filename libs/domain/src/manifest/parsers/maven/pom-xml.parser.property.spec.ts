import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import type { ParsedDependency } from '../../manifest.types';
import { itSurvivesHostileInput, parseSafely, RUNS } from '../hostile-input.test-helper';
import { pomXmlParser } from './pom-xml.parser';

const valid = manifestFixtures('maven')('pom.xml');
const parse = (text: string) => parseSafely(pomXmlParser, 'pom.xml', text);

const declaration = fc.record({
  group: fc.oneof(
    fc.constantFrom('org.acme', 'com.fasterxml.jackson.core'),
    fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/),
  ),
  artifact: fc.oneof(
    fc.constantFrom('core', 'jackson-databind'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  ),
  version: fc.oneof(
    fc.constantFrom('2.13.1', '1.4.0-SNAPSHOT'),
    fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`),
  ),
  // Written as is, or through a property (itself maybe through another).
  through: fc.constantFrom('value', 'property', 'nested property'),
  scope: fc.constantFrom(undefined, 'compile', 'runtime', 'test', 'provided'),
});

/** A POM with `<properties>` on line 2 and one `<dependency>` a line from line 4 on. */
function pom(declarations: readonly DeclarationValue[]): string {
  const properties: string[] = [];
  const dependencies = declarations.map((d, i) => {
    let version = d.version;
    if (d.through !== 'value') {
      properties.push(`<v${i}>${d.through === 'property' ? version : `\${w${i}}`}</v${i}>`);
      if (d.through === 'nested property') properties.push(`<w${i}>${version}</w${i}>`);
      version = `\${v${i}}`;
    }
    const scope = d.scope === undefined ? '' : `<scope>${d.scope}</scope>`;
    return `<dependency><groupId>${d.group}</groupId><artifactId>${d.artifact}</artifactId><version>${version}</version>${scope}</dependency>`;
  });
  return [
    '<project>',
    `<properties>${properties.join('')}</properties>`,
    '<dependencies>',
    ...dependencies,
    '</dependencies>',
    '</project>',
  ].join('\n');
}
type DeclarationValue = typeof declaration extends fc.Arbitrary<infer T> ? T : never;

describe('pomXmlParser on hostile input', () => {
  itSurvivesHostileInput(pomXmlParser, 'pom.xml', valid, {
    entries: 'a dependency',
    wrap: (text: string) => `<project>${text}</project>`,
  });

  it('reads back every generated dependency, Maven-style: the last declaration of an artifact wins', () => {
    fc.assert(
      fc.property(fc.array(declaration, { maxLength: 20 }), (declarations) => {
        const last = new Map<string, ParsedDependency>();
        declarations.forEach((d, i) => {
          const name = `${d.group}:${d.artifact}`;
          last.delete(name);
          last.set(name, {
            ecosystem: 'Maven',
            name,
            scope: d.scope === 'test' || d.scope === 'provided' ? 'dev' : 'runtime',
            direct: true,
            manifestPath: 'pom.xml',
            line: 4 + i,
            version: d.version,
          });
        });
        expect(parseManifest('pom.xml', pom(declarations)).dependencies).toStrictEqual([...last.values()]);
      }),
      RUNS,
    );
  });

  it('never expands a property past 1 KiB, however the properties refer to each other', () => {
    // Random reference graphs over eight properties: cycles, diamonds, doubling chains.
    const graph = fc.array(fc.array(fc.nat(7), { maxLength: 4 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(graph, fc.string({ maxLength: 20 }), (refs, leaf) => {
        const properties = refs
          .map(
            (targets, i) =>
              `<p${i}>${targets.map((t) => `\${p${t}}`).join('') || leaf.replace(/[<&]/g, '')}</p${i}>`,
          )
          .join('');
        const text = `<project><properties>${properties}</properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>\${p0}</version></dependency></dependencies></project>`;
        const [dependency] = parse(text).dependencies;
        expect(dependency?.version?.length ?? 0).toBeLessThanOrEqual(1024);
      }),
      RUNS,
    );
  });

  it('reports a version that expands to nothing instead of pinning the empty string', () => {
    const text = `<project><properties><empty></empty></properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>\${empty}</version></dependency></dependencies></project>`;
    expect(parse(text)).toStrictEqual({
      dependencies: [
        {
          ecosystem: 'Maven',
          name: 'g:a',
          scope: 'runtime',
          direct: true,
          manifestPath: 'pom.xml',
          line: 1,
          version: null,
        },
      ],
      diagnostics: [
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: 'g:a version ${empty} is empty once its properties are expanded',
          line: 1,
        },
      ],
    });
  });
});
