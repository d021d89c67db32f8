import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { DependencyScope, ParsedDependency } from '../../manifest.types';
import { pomXmlParser } from './pom-xml.parser';

const fixture = manifestFixtures('maven');

const artifact = (name: string, version: string | null, line: number, scope: DependencyScope = 'runtime') =>
  ({
    ecosystem: 'Maven',
    name,
    scope,
    direct: true,
    manifestPath: 'pom.xml',
    line,
    version,
  }) satisfies ParsedDependency;

describe('pomXmlParser', () => {
  it('reads dependencies with versions from properties, project coordinates and dependencyManagement', () => {
    const { dependencies, diagnostics } = pomXmlParser.parse('pom.xml', fixture('pom.xml'));
    expect(dependencies).toStrictEqual([
      artifact('org.springframework.boot:spring-boot-starter-web', null, 54), // the parent manages it
      artifact('com.fasterxml.jackson.core:jackson-databind', '2.13.1', 58),
      artifact('org.apache.logging.log4j:log4j-core', '2.14.1', 63), // ${log4j.base}.1, nested
      artifact('org.apache.commons:commons-text', '1.9', 68), // from dependencyManagement
      artifact('com.acme:payments-core', '1.4.0-SNAPSHOT', 72), // ${project.groupId}, ${project.version} → ${revision}
      { ...artifact('com.google.guava:guava', null, 77), specifier: '[30.0-jre,31.0-jre)' },
      artifact('org.yaml:snakeyaml', '1.26', 82), // [1.26] is a hard requirement for exactly 1.26
      artifact('org.postgresql:postgresql', null, 87),
      artifact('com.h2database:h2', '2.1.210', 92, 'optional'),
      artifact('org.projectlombok:lombok', '1.18.22', 99, 'dev'), // provided
      artifact('org.junit.jupiter:junit-jupiter', '5.8.2', 105, 'dev'), // test
      artifact('org.mockito:mockito-core', '4.2.0', 111, 'dev'), // version and test scope from management
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'org.springframework.boot:spring-boot-starter-web has no version here; the parent POM or an imported BOM sets it, which RepoGuard does not read',
        line: 54,
      },
      {
        severity: 'warning',
        code: 'UNPINNED',
        message: 'com.google.guava:guava [30.0-jre,31.0-jre) is a version range, not an exact version',
        line: 77,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'org.postgresql:postgresql version ${postgresql.version} needs the property postgresql.version, which this POM does not define (a parent POM may)',
        line: 87,
      },
      {
        severity: 'info',
        code: 'OPTION_IGNORED',
        message: 'profile oracle declares 1 dependency(ies); profiles are not evaluated',
        line: 133,
      },
    ]);
  });

  it('reads a CRLF POM with a BOM, tabs, comments and CDATA, and reports what it cannot resolve', () => {
    const text = fixture('crlf-bom-tabs.pom.xml');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n\t\t<dependency>');
    const { dependencies, diagnostics } = pomXmlParser.parse('pom.xml', text);
    expect(dependencies).toStrictEqual([
      artifact('org.apache.struts:struts2-core', '2.3.20', 23),
      artifact('io.netty:netty-all', null, 26),
      artifact('com.example:cyclic', null, 34),
      artifact('commons-io:commons-io', '2.7', 39), // the later of two declarations, in CDATA
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNKNOWN_ENV_VAR',
        message:
          'io.netty:netty-all version ${env.NETTY_VERSION} uses the environment variable NETTY_VERSION, which was not given',
        line: 26,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'com.example:cyclic version ${loop.a} needs the property loop.a, whose definition refers back to itself',
        line: 34,
      },
      {
        severity: 'warning',
        code: 'DUPLICATE',
        message: 'commons-io:commons-io is declared twice (also on line 29); Maven uses the last one',
        line: 39,
      },
      {
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: 'a <dependency> has no artifactId; it was skipped',
        line: 42,
      },
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          '${vendor.group}:vendor-sdk needs the property vendor.group, which this POM does not define; it was skipped',
        line: 48,
      },
    ]);
  });

  it('takes ${env.*} values from the options', () => {
    const { dependencies } = pomXmlParser.parse('pom.xml', fixture('crlf-bom-tabs.pom.xml'), {
      env: { NETTY_VERSION: '4.1.42.Final' },
    });
    expect(dependencies[1]).toStrictEqual(artifact('io.netty:netty-all', '4.1.42.Final', 26));
  });

  it('reads prefixed elements, the parent version and keeps versions as strings', () => {
    const text = [
      '<pom:project xmlns:pom="http://maven.apache.org/POM/4.0.0">',
      '  <pom:parent><pom:groupId>org.acme</pom:groupId><pom:version>1.10</pom:version></pom:parent>',
      '  <pom:artifactId>child</pom:artifactId>',
      '  <pom:dependencies>',
      '    <pom:dependency>',
      '      <pom:groupId>${project.parent.groupId}</pom:groupId>',
      '      <pom:artifactId>sibling</pom:artifactId>',
      '      <pom:version>${project.version}</pom:version>',
      '    </pom:dependency>',
      '    <pom:dependency>',
      '      <pom:groupId>org.example</pom:groupId>',
      '      <pom:artifactId>latest</pom:artifactId>',
      '      <pom:version>LATEST</pom:version>',
      '    </pom:dependency>',
      '  </pom:dependencies>',
      '</pom:project>',
    ].join('\n');
    expect(pomXmlParser.parse('pom.xml', text)).toStrictEqual({
      dependencies: [
        artifact('org.acme:sibling', '1.10', 7),
        { ...artifact('org.example:latest', null, 12), specifier: 'LATEST' },
      ],
      diagnostics: [
        {
          severity: 'warning',
          code: 'UNPINNED',
          message: 'org.example:latest LATEST is not an exact version (Maven picks the newest at build time)',
          line: 12,
        },
      ],
    });
  });

  describe('property expansion', () => {
    /** A POM whose one dependency's version is `${p0}`, with the given `<properties>`. */
    const pomWith = (properties: string, version = '${p0}') =>
      [
        '<project>',
        `  <properties>${properties}</properties>`,
        '  <dependencies>',
        '    <dependency>',
        '      <groupId>org.acme</groupId>',
        '      <artifactId>lib</artifactId>',
        `      <version>${version}</version>`,
        '    </dependency>',
        '  </dependencies>',
        '</project>',
      ].join('\n');
    // p0=${p1}${p1}, p1=${p2}${p2}, ..., the last one `1`: 2^levels characters from one line.
    const bomb = (levels: number) =>
      pomWith(
        Array.from({ length: levels }, (_, i) => `<p${i}>\${p${i + 1}}\${p${i + 1}}</p${i}>`).join('') +
          `<p${levels}>1</p${levels}>`,
      );

    it.each([
      // p15 expands to 1,024 characters, p14 would be 2,048.
      [25, 'p14, which expands to more than 1024 characters'],
      // Expanded depth first, so the chain's depth is met before any length.
      [40, 'p32, which nests more than 32 property references deep'],
      [60, 'p32, which nests more than 32 property references deep'],
    ])('stops a doubling bomb of %i levels at a limit, naming the property', (levels, why) => {
      const text = bomb(levels);
      // One short line: what makes it a bomb is the nesting, not the size.
      expect(text.length).toBeLessThan(1600);
      const { dependencies, diagnostics } = pomXmlParser.parse('pom.xml', text);
      expect(dependencies).toStrictEqual([artifact('org.acme:lib', null, 6)]);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'PROPERTY_EXPANSION_LIMIT',
          message: `org.acme:lib version \${p0} needs the property ${why}; the version is left unresolved`,
          line: 6,
        },
      ]);
    });

    it('stops a chain of references nested deeper than 32', () => {
      const chain = Array.from({ length: 40 }, (_, i) => `<p${i}>\${p${i + 1}}</p${i}>`).join('');
      const { dependencies, diagnostics } = pomXmlParser.parse('pom.xml', pomWith(`${chain}<p40>1.0</p40>`));
      expect(dependencies).toStrictEqual([artifact('org.acme:lib', null, 6)]);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'PROPERTY_EXPANSION_LIMIT',
          message:
            'org.acme:lib version ${p0} needs the property p32, which nests more than 32 property references deep; the version is left unresolved',
          line: 6,
        },
      ]);
    });

    it('still resolves a chain 30 deep, a property used many times and an expansion of exactly 1 KiB', () => {
      const chain = Array.from({ length: 30 }, (_, i) => `<p${i}>\${p${i + 1}}</p${i}>`).join('');
      expect(pomXmlParser.parse('pom.xml', pomWith(`${chain}<p30>1.0</p30>`)).dependencies).toStrictEqual([
        artifact('org.acme:lib', '1.0', 6),
      ]);
      // Expanded once and remembered: a hundred uses of the same property are a hundred look-ups.
      const reused = pomWith('<major>1</major>', Array.from({ length: 100 }, () => '${major}').join('.'));
      expect(pomXmlParser.parse('pom.xml', reused).dependencies).toStrictEqual([
        artifact('org.acme:lib', Array.from({ length: 100 }, () => '1').join('.'), 6),
      ]);
      const half = '1'.repeat(512);
      expect(
        pomXmlParser.parse('pom.xml', pomWith(`<p0>\${p1}\${p1}</p0><p1>${half}</p1>`)).dependencies,
      ).toStrictEqual([artifact('org.acme:lib', half + half, 6)]);
      expect(
        pomXmlParser.parse('pom.xml', pomWith(`<p0>\${p1}\${p1}</p0><p1>${half}1</p1>`)).diagnostics,
      ).toMatchObject([
        { code: 'PROPERTY_EXPANSION_LIMIT', message: expect.stringContaining('property p0,') },
      ]);
    });

    it('reports properties defined through each other as unresolvable, naming one', () => {
      const { dependencies, diagnostics } = pomXmlParser.parse(
        'pom.xml',
        pomWith('<p0>${p1}</p0><p1>${p2}.0</p1><p2>${p0}</p2>'),
      );
      expect(dependencies).toStrictEqual([artifact('org.acme:lib', null, 6)]);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'UNRESOLVABLE',
          message: 'org.acme:lib version ${p0} needs the property p0, whose definition refers back to itself',
          line: 6,
        },
      ]);
    });

    it('skips a dependency whose coordinates are a bomb, naming the property', () => {
      const text = bomb(30).replace('<groupId>org.acme</groupId>', '<groupId>${p0}</groupId>');
      const { dependencies, diagnostics } = pomXmlParser.parse('pom.xml', text);
      expect(dependencies).toStrictEqual([]);
      expect(diagnostics).toStrictEqual([
        {
          severity: 'warning',
          code: 'PROPERTY_EXPANSION_LIMIT',
          message:
            'the dependency ${p0}:lib needs the property p19, which expands to more than 1024 characters; it was skipped',
          line: 6,
        },
      ]);
    });

    it('reads past a DOCTYPE, as Maven does, and refuses a reference to an entity it declares', () => {
      const doctype = '<!DOCTYPE project [<!ENTITY v "1.0">]>\n';
      expect(pomXmlParser.parse('pom.xml', doctype + pomWith('', '2.0'))).toEqual({
        dependencies: [expect.objectContaining({ name: 'org.acme:lib', version: '2.0' })],
        diagnostics: [],
      });
      // XML's own entities and character references are still read.
      expect(pomXmlParser.parse('pom.xml', doctype + pomWith('', '2.&#48;&amp;')).dependencies).toEqual([
        expect.objectContaining({ version: '2.0&' }),
      ]);
      expect(pomXmlParser.parse('pom.xml', doctype + pomWith('', '&v;'))).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message:
              'pom.xml could not be read as XML: it refers to an entity its DOCTYPE declares, which is not read (as by Maven)',
            line: 8,
          },
        ],
      });
    });

    it('refuses what is not XML although fast-xml-parser would read it, and keeps unknown entities as written', () => {
      // One control character once sent the whole POM to fast-xml-parser, at ~200 ms per MB.
      expect(pomXmlParser.parse('pom.xml', pomWith('', '1.\u0001'))).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: 'pom.xml is not well-formed XML: disallowed character.',
            line: 7,
          },
        ],
      });
      // `&nbsp;` (Maven reads the XHTML entities) stays as fast-xml-parser leaves it: no refusal.
      expect(pomXmlParser.parse('pom.xml', pomWith('', '2.0&nbsp;')).dependencies).toEqual([
        expect.objectContaining({ version: '2.0&nbsp;' }),
      ]);
    });

    it('refuses a DOCTYPE entity bomb and nesting deeper than any POM as unreadable XML', () => {
      const entities = ['<!ENTITY e0 "' + 'x'.repeat(1000) + '">'];
      const laughs = `<!DOCTYPE project [${entities.join('')}]>${pomWith('', '&e0;'.repeat(100))}`;
      expect(pomXmlParser.parse('pom.xml', laughs)).toMatchObject({
        dependencies: [],
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX' }],
      });
      const deep = `<project>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</project>`;
      expect(pomXmlParser.parse('pom.xml', deep)).toMatchObject({
        dependencies: [],
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX' }],
      });
      // Never closed: refused for its depth at the 102nd element, not after reading every tag.
      expect(pomXmlParser.parse('pom.xml', `<project>${'<a>'.repeat(5000)}`)).toStrictEqual({
        dependencies: [],
        diagnostics: [
          {
            severity: 'error',
            code: 'INVALID_SYNTAX',
            message: 'pom.xml could not be read as XML: Maximum nested tags exceeded',
          },
        ],
      });
      expect(
        pomXmlParser.parse('pom.xml', `<project>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</project>`),
      ).toEqual({
        dependencies: [],
        diagnostics: [],
      });
      expect(pomXmlParser.parse('pom.xml', '<project><__proto__><x/></__proto__></project>')).toMatchObject({
        dependencies: [],
        diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX' }],
      });
    });
  });

  it('reports XML that is not well-formed at its line, and XML that is not a POM', () => {
    expect(pomXmlParser.parse('pom.xml', fixture('invalid.pom.xml'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message:
            "pom.xml is not well-formed XML: Expected closing tag 'version' (opened in line 10, col 7) instead of closing tag 'versoin'.",
          line: 10,
        },
      ],
    });
    expect(pomXmlParser.parse('pom.xml', fixture('truncated.pom.xml'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: "pom.xml is not well-formed XML: Unclosed tag 'project'.",
          line: 2,
        },
      ],
    });
    expect(
      pomXmlParser.parse('pom.xml', '<settings><localRepository>/m2</localRepository></settings>'),
    ).toStrictEqual({
      dependencies: [],
      diagnostics: [
        { severity: 'error', code: 'INVALID_SYNTAX', message: 'pom.xml has no <project> root element' },
      ],
    });
  });

  it('reports an empty file', () => {
    expect(pomXmlParser.parse('pom.xml', fixture('empty.pom.xml'))).toStrictEqual({
      dependencies: [],
      diagnostics: [{ severity: 'error', code: 'INVALID_SYNTAX', message: 'pom.xml is empty' }],
    });
  });

  it('refuses binary content', () => {
    expect(pomXmlParser.parse('pom.xml', fixture('binary.pom.xml'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'pom.xml is not a text file (binary content); it was skipped',
        },
      ],
    });
  });
});
