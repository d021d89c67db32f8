import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { isMarkedUnique } from '../../dedupe-dependencies';
import { parseManifest } from '../../manifest-registry';
import type { ParseOptions } from '../../manifest.types';
import { damaged, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { MAX_TAG_LENGTH, readPomXml, readXml, readXmlStrictly } from './pom-xml-document';
import { parsePomXml } from './pom-xml.parser';

const fixture = manifestFixtures('maven');

/** The parse through saxes, the same as through fast-xml-parser, the reader of record, alone. */
function expectSameAsStrictReader(text: string, options: ParseOptions = { env: { HOME: '/h' } }): void {
  const fast = parsePomXml('pom.xml', text, options, readPomXml);
  const strict = parsePomXml('pom.xml', text, options, readXmlStrictly);
  // What saxes refuses and fast-xml-parser's validator lets through (an odd space in a tag name,
  // `]]>` in text) is refused with saxes's reason, by design: not parsed at ~200 ms per MB. Where
  // fast-xml-parser's parser refuses it after its validator let it through (`<?"xml ...?>`: "Pi Tag
  // is not closed"), both refuse, in their own words.
  const saxes = readXml('pom.xml', text);
  const refusedBySaxes =
    'declined' in saxes &&
    fast.diagnostics.some((d) => d.message === `pom.xml is not well-formed XML: ${saxes.declined}`);
  if (refusedBySaxes) {
    expect(fast).toEqual({
      dependencies: [],
      diagnostics: [
        expect.objectContaining({
          code: 'INVALID_SYNTAX',
          message: `pom.xml is not well-formed XML: ${saxes.declined}`,
          line: saxes.line,
        }),
      ],
    });
    return;
  }
  // By design saxes refuses nesting past the bound at once, where the validator words another error.
  if (fast.diagnostics[0]?.message.endsWith('Maximum nested tags exceeded')) {
    expect(strict).toMatchObject({ dependencies: [], diagnostics: [{ code: 'INVALID_SYNTAX' }] });
    return;
  }
  expect(fast).toEqual(strict);
  expect(isMarkedUnique(fast.dependencies)).toBe(isMarkedUnique(strict.dependencies));
}

/** Mostly one of `usual`, sometimes one of `unusual`. */
const mostly = (usual: readonly string[], unusual: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...unusual) },
  );

// What a POM's elements hold, mostly ordinary, and the odd shapes both readers must agree on:
// namespaces, CDATA, comments, entities, mixed text. (fast-xml-parser refuses elements named as
// Object.prototype members, `toString`, `constructor`..., which saxes reads: tested apart below;
// saxes expands character references such as `&#49;`, which it leaves as written.)
const NAMES = ['g', 'org.acme', 'core', '${p0}', '${p1}', '${project.version}', 'a/b', 'a:b'];
const ODD_NAMES = ['<![CDATA[c]]>', ' x ', '&amp;', 'a<!-- c -->b', '${env.HOME}', '${missing}', ''];
const VERSIONS = ['1.0.0', '${p0}', '${p1}', '[1.0]', '2.0-SNAPSHOT', '${#text}'];
const ODD_VERSIONS = ['[1,2)', 'LATEST', '${p2}', ' ', '${env.X}', '<![CDATA[1]]>', '&lt;1'];
const CHILDREN = ['type', 'classifier', 'scope', 'optional'];
const ODD_CHILDREN = ['__proto__x', 'm:groupId', 'x:scope', 'groupId'];

const field = (tag: string, value: fc.Arbitrary<string>) => value.map((v) => `<${tag}>${v}</${tag}>`);
const dependency = fc
  .tuple(
    fc.option(field('groupId', mostly(NAMES, ODD_NAMES)), { nil: '' }),
    fc.option(field('artifactId', mostly(NAMES, ODD_NAMES)), { nil: '' }),
    fc.option(field('version', mostly(VERSIONS, ODD_VERSIONS)), { nil: '' }),
    fc.array(fc.tuple(mostly(CHILDREN, ODD_CHILDREN), fc.constantFrom('test', 'jar', 'x', 'true', '${p0}')), {
      maxLength: 2,
    }),
    fc.constantFrom('', '\n', ' text ', '<!-- c -->'),
  )
  .map(
    ([group, artifact, version, extra, filler]) =>
      `<dependency>${filler}${group}${artifact}${version}${extra.map(([t, v]) => `<${t}>${v}</${t}>`).join('')}</dependency>\n`,
  );
const properties = fc
  .array(
    fc.tuple(
      mostly(['p0', 'p1', 'p2', 'project.version'], ['__proto__x', 'x:p0', 'p0']),
      mostly(['1.0', '${p1}', '${p2}', '${p0}'], ['', '<a>1</a>', 'text<b/>']),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([name, value]) => `<${name}>${value}</${name}>`).join(''));
// Past 32 names `<properties>` keeps its children in a Map rather than an object.
const manyProperties = fc
  .nat(60)
  .map((count) => Array.from({ length: count }, (_, i) => `<q${i}>${i}</q${i}>`).join(''));
const pom = fc
  .tuple(
    properties,
    manyProperties,
    fc.array(dependency, { maxLength: 5 }),
    fc.array(dependency, { maxLength: 3 }),
    fc.constantFrom(
      '',
      '<version>1.2</version>',
      '<parent><groupId>pg</groupId><version>9</version></parent>',
    ),
    fc.constantFrom(
      '',
      '<profiles><profile><id>x</id><dependencies><dependency/></dependencies></profile></profiles>',
    ),
    fc.constantFrom(
      '<project>',
      '<project xmlns="http://maven.apache.org/POM/4.0.0">',
      '<m:project xmlns:m="u">',
    ),
    // Text among the properties, which `${#text}` names.
    fc.constantFrom('', 'note', ' <!-- c --> '),
  )
  .map(([props, many, deps, managed, own, profiles, open, note]) => {
    const close = open.startsWith('<m:') ? '</m:project>' : '</project>';
    return (
      `<?xml version="1.0"?>\n${open}${own}\n<properties>${note}${props}${many}</properties>\n` +
      `<dependencyManagement><dependencies>${managed.join('')}</dependencies></dependencyManagement>\n` +
      `<dependencies>\n${deps.join('')}</dependencies>${profiles}\n${close}\n`
    );
  });

describe('pom.xml read by saxes', () => {
  it('gives exactly what fast-xml-parser alone gives, for POMs of every shape and odd ones', () => {
    fc.assert(
      fc.property(pom, (text) => expectSameAsStrictReader(text)),
      PROPERTY_RUNS,
    );
  });

  it('gives exactly what fast-xml-parser alone gives for the real fixtures and damaged copies', () => {
    const names = ['pom.xml', 'crlf-bom-tabs.pom.xml', 'invalid.pom.xml', 'truncated.pom.xml'];
    for (const name of names) expectSameAsStrictReader(fixture(name));
    // Found by this property: a processing instruction whose name saxes refuses and fast-xml-parser's
    // parser (not its validator) refuses too.
    expectSameAsStrictReader(fixture('pom.xml').replace('<?xml', '<?"xml'));
    // And one that fast-xml-parser refuses (a quote in the instruction's text) where saxes reads on.
    expectSameAsStrictReader(fixture('crlf-bom-tabs.pom.xml').replace('<?xml', "<?x\n'ml"));
    const tokens = ['<dependency>', '</dependency>', '<version>', '${', '}', '<!--', ']]>', '<', '>', '&'];
    fc.assert(
      fc.property(
        fc.constantFrom(...names).chain((name) => damaged(fixture(name), tokens)),
        (text) => expectSameAsStrictReader(text),
      ),
      PROPERTY_RUNS,
    );
  });
});

describe('pom.xml tags too long for the validator', () => {
  const long = 'a'.repeat(MAX_TAG_LENGTH + 1);
  const refused = (line: number) => ({
    error: `pom.xml could not be read as XML: a tag is longer than ${MAX_TAG_LENGTH} characters`,
    line,
  });

  it.each([
    ['an element name', `<project>\n<${long}></project>`],
    ['a closing tag', `<project>\n</${long}>`],
    ['attributes', `<project>\n<a x="${long}"></project>`],
    ['a quoted >', `<project>\n<a x="${'>'.repeat(MAX_TAG_LENGTH)}"></project>`],
    ['spaces', `<project>\n<a ${' '.repeat(MAX_TAG_LENGTH)}></project>`],
  ])('refuses %s longer than the limit, at its line', (_, text) => {
    expect(readPomXml('pom.xml', text)).toEqual(refused(2));
  });

  it('leaves long comments, CDATA and text, and a well-formed long name, to the readers', () => {
    const inComment = `<!DOCTYPE project><project><!-- <${long} --></project>`;
    const inCdata = `<!DOCTYPE project><project><a><![CDATA[<${long}]]></a></project>`;
    const inText = `<project><a>${long}</a></project`;
    expect(readPomXml('pom.xml', inComment)).toEqual({ project: '' });
    expect(readPomXml('pom.xml', inCdata)).not.toHaveProperty('error');
    expect(readPomXml('pom.xml', inText)).toMatchObject({
      error: expect.stringContaining('not well-formed'),
    });
    expect(readPomXml('pom.xml', `<project><${long}/></project>`)).not.toHaveProperty('error');
  });
});

describe('pom.xml elements named as Object.prototype members', () => {
  it('are ordinary properties and children, never inherited ones', () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const properties = names.map((name, i) => `<${name}>${i}</${name}>`).join('');
    const dependencies = names
      .map(
        (name) =>
          `<dependency><groupId>g</groupId><artifactId>\${${name}}</artifactId><version>1</version></dependency>`,
      )
      .join('');
    const undeclared = `<dependency><groupId>g</groupId><artifactId>\${isPrototypeOf}</artifactId><version>1</version></dependency>`;
    const result = parsePomXml(
      'pom.xml',
      `<project><properties>${properties}</properties><dependencies>${dependencies}${undeclared}</dependencies></project>`,
      {},
      readPomXml,
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(['g:0', 'g:1', 'g:2', 'g:3']);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'g:${isPrototypeOf} needs the property isPrototypeOf, which this POM does not define; it was skipped',
    ]);
  });
});

describe('pom.xml properties and names', () => {
  const dependency = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;

  it('takes a declared property over the project coordinate of the same name', () => {
    const text = `<project><version>1</version><properties><project.version>2</project.version></properties><dependencies>${dependency('g', 'a', '${project.version}')}</dependencies></project>`;
    expect(parseManifest('pom.xml', text).dependencies.map((d) => d.version)).toEqual(['2']);
  });

  it('reads the text among the properties as ${#text}, as the tree of record has it', () => {
    const text = `<project><properties>note<p>1</p></properties><dependencies>${dependency('g', 'a', '${#text}')}</dependencies></project>`;
    expect(parseManifest('pom.xml', text).dependencies.map((d) => d.version)).toEqual(['note']);
  });

  it('leaves two declarations that normalise to one name and version to be merged', () => {
    const text = `<project><dependencies>${dependency('g', 'a/x', '1')}${dependency('g', 'a', '1')}</dependencies></project>`;
    expect(parseManifest('pom.xml', text).dependencies.map((d) => d.name)).toEqual(['g:a']);
  });
});
