// Hostile inputs for `npm run bench:parsers`, one small generator per case. Each returns text of
// about `bytes` characters shaped to hit what a naive parser does badly: long runs of one
// character (regex backtracking), many or duplicated entries (quadratic bookkeeping), deep nesting
// (recursion), huge numbers, unterminated strings and comments, and lines just under the
// line-length cap. Speed is asserted here, never in timed tests. Add a case by adding an entry.

export interface WorstCase {
  /** The parser id (ManifestParser.id) the case is for. */
  readonly parser: string;
  readonly name: string;
  /** The path handed to parseManifest; it selects the parser. */
  readonly path: string;
  readonly build: (bytes: number) => string;
}

/** Lines under the 64 KiB cap, so a capped parser still parses them rather than skipping them. */
const LONG = 60_000;

/** `unit(0) + unit(1) + ...` until the text reaches `bytes`, between `head` and `tail`. */
function fill(bytes: number, unit: (i: number) => string, head = '', tail = ''): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < bytes; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** `open` nested `depth` times around `inner`, closed by `close`. */
function nested(open: string, close: string, depth: number, inner = ''): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** How deep to nest so the whole text is about `bytes`. */
const depthFor = (bytes: number, perLevel: number) => Math.max(1, Math.floor(bytes / perLevel));

const run = (char: string, length = LONG) => char.repeat(length);

const forParser = (parser: string, path: string, cases: Pick<WorstCase, 'name' | 'build'>[]): WorstCase[] =>
  cases.map((c) => ({ ...c, parser, path }));

const requirementsTxt = forParser('requirements-txt', 'requirements.txt', [
  { name: 'many pins', build: (b) => fill(b, (i) => `package-${i}==1.${i % 50}.${i % 7}\n`) },
  { name: 'one name pinned many ways', build: (b) => fill(b, (i) => `same-name==1.0.${i}\n`) },
  { name: 'backslash runs', build: (b) => fill(b, () => `a${run('\\')}b\\\nc\n`) },
  { name: 'backslash-only lines', build: (b) => fill(b, () => `${run('\\')}\n`) },
  { name: 'space runs', build: (b) => fill(b, () => `a${run(' ')}x\n`) },
  { name: 'spaces after @', build: (b) => fill(b, () => `a @ https://x${run(' ')}y\n`) },
  { name: '# runs in a URL', build: (b) => fill(b, () => `git+https://h/r${run('#')}x\n`) },
  { name: '[ runs', build: (b) => fill(b, () => `x${run('[')}y\n`) },
  {
    name: 'continued lines',
    build: (b) =>
      fill(b, (i) => `--hash=sha256:${i.toString(16).padStart(64, '0')} \\\n`, 'a==1 \\\n', 'b\n'),
  },
  {
    name: 'nested marker parentheses',
    build: (b) => fill(b, () => `a==1; ${nested('(', ')', 20_000, 'os_name == "x"')}\n`),
  },
  {
    name: 'many ${VAR}s on a line',
    build: (b) => fill(b, () => `a==1 ${Array.from({ length: 6_000 }, (_, i) => `\${V${i}}`).join('')}\n`),
  },
  { name: 'lines over the cap', build: (b) => fill(b, () => `${run('a', 100_000)}\n`) },
]);

const tomlLockPackages = (i: number) =>
  `[[package]]\nname = "pkg-${i}"\nversion = "1.0.${i}"\ndescription = ""\noptional = false\n` +
  `python-versions = "*"\nfiles = [\n    {file = "pkg-${i}.whl", hash = "sha256:${'a'.repeat(64)}"},\n]\n\n`;

const tomlCases = (parser: string, path: string): WorstCase[] =>
  forParser(parser, path, [
    { name: 'many packages', build: (b: number) => fill(b, tomlLockPackages) },
    {
      name: 'one name, many versions',
      build: (b: number) =>
        fill(
          b,
          (i) => `[[package]]\nname = "same"\nversion = "1.0.${i}"\ndependencies = [{ name = "same" }]\n\n`,
        ),
    },
    {
      name: 'long strings',
      build: (b: number) =>
        fill(b, (i) => `[[package]]\nname = "p${i}"\nversion = "1"\nx = "${run('\\\\', LONG / 2)}"\n`),
    },
    { name: 'space runs', build: (b: number) => fill(b, (i) => `[[package]]${run(' ')}\nname = "p${i}"\n`) },
    {
      name: 'deep arrays',
      build: (b: number) => fill(b, (i) => `k${i} = ${nested('[', ']', 500, '1')}\n`),
    },
  ]);

const uvLock = forParser('uv-lock', 'uv.lock', [
  {
    name: 'dependency chain',
    build: (b) =>
      fill(
        b,
        (i) =>
          `[[package]]\nname = "p${i}"\nversion = "1.0.0"\nsource = { registry = "https://pypi.org/simple" }\n` +
          `dependencies = [{ name = "p${i + 1}" }]\n\n`,
        'version = 1\n\n[[package]]\nname = "root"\nversion = "0.1.0"\nsource = { editable = "." }\n' +
          'dependencies = [{ name = "p0" }]\n\n',
      ),
  },
]);

const jsonDeep = (head: string, tail: string) => (b: number) =>
  head + nested('[', ']', depthFor(b - head.length - tail.length, 2), '1') + tail;

const pipfileLock = forParser('pipfile-lock', 'Pipfile.lock', [
  {
    name: 'many packages',
    build: (b) =>
      fill(
        b,
        (i) =>
          `${i === 0 ? '' : ','}\n    "pkg-${i}": {"hashes": ["sha256:${'b'.repeat(64)}"], "version": "==1.0.${i}"}`,
        '{\n  "_meta": {"pipfile-spec": 6},\n  "default": {',
        '\n  },\n  "develop": {}\n}\n',
      ),
  },
  {
    name: 'spaces after an empty section',
    build: (b) => `{"default": {}${run(' ', b)}, "develop": {}}\n`,
  },
  { name: 'deep arrays', build: jsonDeep('{"default": {"a": {"version": "==1", "x": ', '}}}') },
]);

const packageLock = forParser('package-lock-json', 'package-lock.json', [
  {
    name: 'many packages (v3)',
    build: (b) =>
      fill(
        b,
        (i) =>
          `,\n    "node_modules/pkg-${i}": {\n      "version": "1.0.${i}",\n      "resolved": "https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.${i}.tgz",\n      "dev": ${i % 2 === 0}\n    }`,
        '{\n  "name": "x",\n  "lockfileVersion": 3,\n  "packages": {\n    "": {"dependencies": {"pkg-0": "^1"}}',
        '\n  }\n}\n',
      ),
  },
  {
    name: 'deep dependency tree (v1)',
    build: (b) => {
      const depth = depthFor(b, 60);
      return `{"lockfileVersion": 1, "dependencies": ${'{"p": {"version": "1.0.0", "dependencies": '.repeat(depth)}{}${'}}'.repeat(depth)}}`;
    },
  },
  { name: 'deep arrays', build: jsonDeep('{"lockfileVersion": 3, "packages": {}, "x": ', '}') },
  {
    name: 'backslash keys',
    build: (b) =>
      fill(
        b,
        (i) => `,\n    "node_modules/${run('\\\\', 1000)}${i}": {"version": "1.0.0"}`,
        '{"lockfileVersion": 3, "packages": {"": {}',
        '}}',
      ),
  },
]);

const yarnLock = forParser('yarn-lock', 'yarn.lock', [
  {
    name: 'many entries (v1)',
    build: (b) =>
      fill(
        b,
        (i) =>
          `\n"pkg-${i}@^1.0.0", pkg-${i}@^1.0.1:\n  version "1.0.${i}"\n  resolved "https://registry.yarnpkg.com/pkg-${i}/-/pkg-${i}-1.0.${i}.tgz"\n  dependencies:\n    dep "^1"\n`,
        '# yarn lockfile v1\n',
      ),
  },
  { name: 'space runs (v1)', build: (b) => fill(b, () => `a@^1:\n  version${run(' ')}"1.0.0"x\n`) },
  { name: 'comma runs (v1)', build: (b) => fill(b, () => `a@1${run(',')}:\n  version "1.0.0"\n`) },
  {
    name: 'many entries (berry)',
    build: (b) =>
      fill(
        b,
        (i) =>
          `\n"pkg-${i}@npm:^1.0.0":\n  version: 1.0.${i}\n  resolution: "pkg-${i}@npm:1.0.${i}"\n  checksum: ${'c'.repeat(40)}\n  languageName: node\n  linkType: hard\n`,
        '__metadata:\n  version: 8\n  cacheKey: 10c0\n',
      ),
  },
  {
    name: 'deep flow nesting (berry)',
    build: (b) => `__metadata:\n  version: 8\n"a@npm:1":\n  x: ${nested('[', ']', depthFor(b, 2))}\n`,
  },
]);

const pnpmLock = forParser('pnpm-lock', 'pnpm-lock.yaml', [
  {
    name: 'many packages (v9)',
    build: (b) => {
      const count = Math.max(1, Math.floor(b / 260));
      const lines = [
        "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      p0:\n        specifier: ^1\n        version: 1.0.0\n\npackages:\n",
      ];
      for (let i = 0; i < count; i++)
        lines.push(`  p${i}@1.0.0:\n    resolution: {integrity: sha512-${'d'.repeat(40)}}\n`);
      lines.push('\nsnapshots:\n');
      for (let i = 0; i < count; i++)
        lines.push(`  p${i}@1.0.0:\n    dependencies:\n      p${i + 1}: 1.0.0\n`);
      return lines.join('');
    },
  },
  {
    name: 'deep flow nesting',
    build: (b) => `lockfileVersion: '9.0'\npackages:\n  a@1.0.0: ${nested('[', ']', depthFor(b, 2))}\n`,
  },
  { name: 'space runs', build: (b) => fill(b, (i) => `k${i}:${run(' ')}v\n`, "lockfileVersion: '9.0'\n") },
]);

const goMod = forParser('go-mod', 'go.mod', [
  {
    name: 'many requires',
    build: (b) =>
      fill(b, (i) => `\texample.com/m${i} v1.0.${i}\n`, 'module x\n\ngo 1.22\n\nrequire (\n', ')\n'),
  },
  { name: 'space runs', build: (b) => fill(b, () => `require a${run(' ')}x\n`, 'module x\n') },
  { name: 'slash runs', build: (b) => fill(b, () => `require ${run('/')} v1.0.0 x\n`, 'module x\n') },
  { name: 'long require lines', build: (b) => fill(b, () => `require ${run('a')} v1.0.0\n`, 'module m\n') },
  { name: 'bracket runs', build: (b) => fill(b, () => `${run('(')}\n`, 'module m\n') },
  {
    name: 'unterminated strings of escapes',
    build: (b) => fill(b, () => `require "${run('\\"', LONG / 2)}\n`, 'module m\n'),
  },
  {
    name: 'the same require repeated',
    build: (b) => fill(b, () => '\texample.com/x v1.0.0\n', 'module m\nrequire (\n', ')\n'),
  },
  {
    name: 'a replace for every require',
    build: (b) =>
      fill(
        b,
        (i) => `replace example.com/x${i} => example.com/y v1.0.0\nrequire example.com/x${i} v1.0.0\n`,
        'module m\n',
      ),
  },
  { name: 'whitespace only', build: (b) => fill(b, () => ' \t\n') },
]);

const cargoLock = forParser('cargo-lock', 'Cargo.lock', [
  {
    name: 'many packages',
    build: (b) =>
      fill(
        b,
        (i) =>
          `[[package]]\nname = "c${i}"\nversion = "1.0.${i}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n`,
        'version = 3\n\n',
      ),
  },
  { name: 'space runs', build: (b) => fill(b, () => `[[package]]${run(' ')}x\n`) },
  { name: 'one unterminated string', build: (b) => `version = 3\nx = "${run('a', b)}` },
  { name: 'arrays nested deep, never closed', build: (b) => `x = ${run('[', b)}` },
  { name: 'a huge number', build: (b) => `version = ${run('9', b)}` },
  {
    name: 'the same package repeated',
    build: (b) =>
      fill(
        b,
        () =>
          '[[package]]\nname = "serde"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n',
      ),
  },
]);

const gemfileLock = forParser('gemfile-lock', 'Gemfile.lock', [
  {
    name: 'many specs',
    build: (b) =>
      fill(
        b,
        (i) => `    gem${i} (1.0.${i})\n`,
        'GEM\n  remote: https://rubygems.org/\n  specs:\n',
        '\nDEPENDENCIES\n  gem0\n',
      ),
  },
  { name: 'space runs', build: (b) => fill(b, () => `    a${run(' ')}(1\n`, 'GEM\n  specs:\n') },
  { name: 'paren runs', build: (b) => fill(b, () => `    a (${run('(')}\n`, 'GEM\n  specs:\n') },
  { name: 'deep indentation', build: (b) => fill(b, () => `${run(' ')}x (1)\n`, 'GEM\n  specs:\n') },
  {
    name: 'long versions',
    build: (b) => fill(b, () => `    a (${run('1.', LONG / 2)}\n`, 'GEM\n  specs:\n'),
  },
  { name: 'long dependency names', build: (b) => fill(b, () => `  ${run('a')} (\n`, 'DEPENDENCIES\n') },
  { name: 'the same gem repeated', build: (b) => fill(b, () => '    rails (7.0.4)\n', 'GEM\n  specs:\n') },
  { name: 'merge conflict markers', build: (b) => fill(b, () => '<<<<<<< HEAD\n=======\n>>>>>>> x\n') },
]);

const composerLock = forParser('composer-lock', 'composer.lock', [
  {
    name: 'many packages',
    build: (b) =>
      fill(
        b,
        (i) =>
          `${i === 0 ? '' : ','}\n    {"name": "v/p${i}", "version": "1.0.${i}", "source": {"type": "git", "url": "https://x/p${i}.git"}}`,
        '{"packages": [',
        '], "packages-dev": []}',
      ),
  },
  { name: 'deep arrays', build: jsonDeep('{"packages": [{"name": "a/b", "version": "1.0.0", "x": ', '}]}') },
  { name: 'arrays nested deep, never closed', build: (b) => `{"packages": ${run('[', b)}` },
  {
    name: 'a name of escapes',
    build: (b) => `{"packages":[{"name":"${run('\\\\', b / 2)}","version":"1"}]}`,
  },
  { name: 'a huge number', build: (b) => `{"packages":[],"x":${run('9', b)}}` },
  {
    name: 'one name repeated',
    build: (b) =>
      fill(b, (i) => `${i === 0 ? '' : ','}{"name":"a/b","version":"1.0.0"}`, '{"packages":[', ']}'),
  },
]);

const pomXml = forParser('pom-xml', 'pom.xml', [
  {
    name: 'many dependencies',
    build: (b) =>
      fill(
        b,
        (i) =>
          `<dependency><groupId>g${i}</groupId><artifactId>a${i}</artifactId><version>1.0.${i}</version></dependency>\n`,
        '<project><modelVersion>4.0.0</modelVersion><dependencies>\n',
        '</dependencies></project>\n',
      ),
  },
  {
    name: 'property bomb',
    build: (b) => {
      const properties = ['<p0>xxxxxxxxxx</p0>'];
      for (let i = 1; i <= 40; i++) properties.push(`<p${i}>\${p${i - 1}}\${p${i - 1}}</p${i}>`);
      const head = `<project><properties>${properties.join('')}</properties><dependencies>\n`;
      return fill(
        b,
        (i) =>
          `<dependency><groupId>g</groupId><artifactId>a${i}</artifactId><version>\${p40}</version></dependency>\n`,
        head,
        '</dependencies></project>\n',
      );
    },
  },
  {
    name: 'deep elements',
    build: (b) => {
      const depth = depthFor(b, 7);
      return `<project>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</project>`;
    },
  },
  { name: 'elements nested deep, never closed', build: (b) => `<project>${'<a>'.repeat(depthFor(b, 3))}` },
  { name: 'one long element name', build: (b) => `<project><${run('a', b)}></project>` },
  {
    // A DOCTYPE sends the document past the fast reader to the strict one.
    name: 'a DOCTYPE, then many dependencies',
    build: (b) =>
      fill(
        b,
        (i) =>
          `<dependency><groupId>g${i}</groupId><artifactId>a${i}</artifactId><version>1.0.${i}</version></dependency>\n`,
        '<!DOCTYPE project [<!ENTITY v "1.0">]>\n<project><modelVersion>4.0.0</modelVersion><dependencies>\n',
        '</dependencies></project>\n',
      ),
  },
  {
    // A character saxes refuses and fast-xml-parser's validator accepts, before many dependencies.
    name: 'one control character, then many dependencies',
    build: (b) =>
      fill(
        b,
        (i) =>
          `<dependency><groupId>g${i}</groupId><artifactId>a${i}</artifactId><version>1.0.${i}</version></dependency>\n`,
        '<project><name>a\u0001b</name><dependencies>\n',
        '</dependencies></project>\n',
      ),
  },
  {
    // Not well-formed at its very end: both readers go through the whole document.
    name: 'many dependencies, then a tag left open',
    build: (b) =>
      fill(
        b,
        (i) =>
          `<dependency><groupId>g${i}</groupId><artifactId>a${i}</artifactId><version>1.0.${i}</version></dependency>\n`,
        '<project><modelVersion>4.0.0</modelVersion><dependencies>\n',
        '</dependencies><build>\n',
      ),
  },
  {
    name: 'a property chain',
    build: (b) =>
      fill(
        b,
        (i) => `<p${i}>\${p${i + 1}}</p${i}>`,
        '<project><properties>',
        '</properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>' +
          '<version>${p0}</version></dependency></dependencies></project>',
      ),
  },
  {
    name: 'the same dependency repeated',
    build: (b) =>
      fill(
        b,
        () => '<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>\n',
        '<project><dependencies>',
        '</dependencies></project>',
      ),
  },
  { name: 'a comment never closed', build: (b) => `<project><!--${run('-', b)}` },
]);

const gradleLockfile = forParser('gradle-lockfile', 'gradle.lockfile', [
  {
    name: 'many modules',
    build: (b) =>
      fill(b, (i) => `com.example:m${i}:1.0.${i}=compileClasspath,runtimeClasspath\n`, '# Gradle lock\n'),
  },
  { name: 'colon runs', build: (b) => fill(b, () => `a${run(':')}=x\n`) },
  { name: 'comma runs', build: (b) => fill(b, () => `a:b:1=${run(',')}x\n`) },
  { name: 'long lines', build: (b) => fill(b, () => `${run('a')}\n`) },
  {
    name: 'thousands of configurations',
    build: (b) => fill(b, () => `g:a:1=${run('testFixturesX,', LONG / 14)}\n`),
  },
  { name: 'the same line repeated', build: (b) => fill(b, () => 'org.acme:core:1.0=runtimeClasspath\n') },
]);

const cdxComponent = (i: number) =>
  `{"bom-ref": "c${i}", "name": "p${i}", "version": "1.0.${i}", "purl": "pkg:npm/p${i}@1.0.${i}", "hashes": [{"alg": "SHA-1", "content": "${'a'.repeat(40)}"}]}`;

const cyclonedxJson = forParser('cyclonedx-json', 'sbom.cdx.json', [
  {
    name: 'many components',
    build: (b) =>
      fill(
        b,
        (i) => `${i === 0 ? '' : ','}\n    ${cdxComponent(i)}`,
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [',
        ']}',
      ),
  },
  {
    name: 'a graph of many edges',
    build: (b) =>
      fill(
        b,
        (i) => `${i === 0 ? '' : ','}"c${i}"`,
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"bom-ref": "c0", "purl": "pkg:npm/a@1"}], "dependencies": [{"ref": "c0", "dependsOn": [',
        ']}]}',
      ),
  },
  {
    name: 'one purl repeated',
    build: (b) =>
      fill(
        b,
        (i) => `${i === 0 ? '' : ','}{"purl": "pkg:npm/a@1.0.0"}`,
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [',
        ']}',
      ),
  },
  {
    name: 'arrays nested deep, never closed',
    build: (b) => `{"bomFormat": "CycloneDX", "components": ${run('[', b)}`,
  },
  {
    name: 'slash runs in a purl',
    build: (b) => `{"bomFormat": "CycloneDX", "components": [{"purl": "pkg:npm/${run('/', b)}@1"}]}`,
  },
]);

const cyclonedxXml = forParser('cyclonedx-xml', 'sbom.cdx.xml', [
  {
    name: 'many components',
    build: (b) =>
      fill(
        b,
        (i) =>
          `<component bom-ref="c${i}"><name>p${i}</name><version>1.0.${i}</version><purl>pkg:npm/p${i}@1.0.${i}</purl></component>\n`,
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>',
        '</components></bom>',
      ),
  },
  { name: 'unclosed tags', build: (b) => `<bom><components>${run('<component>', b / 11)}` },
  { name: 'a long tag', build: (b) => `<bom a="${run('x', b)}"/>` },
  { name: 'entity references', build: (b) => `<bom><x>${run('&amp;', b / 5)}</x></bom>` },
]);

const spdxJson = forParser('spdx-json', 'sbom.spdx.json', [
  {
    name: 'many packages and relationships',
    build: (b) =>
      fill(
        b,
        (i) =>
          `${i === 0 ? '' : ','}{"SPDXID": "p${i}", "name": "p${i}", "versionInfo": "1", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/p${i}@1"}]}`,
        '{"spdxVersion": "SPDX-2.3", "packages": [',
        '], "relationships": []}',
      ),
  },
  {
    name: 'one package depending on everything',
    build: (b) =>
      fill(
        b,
        (i) =>
          `${i === 0 ? '' : ','}{"spdxElementId": "root", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "p${i}"}`,
        '{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "root"}], "relationships": [',
        ']}',
      ),
  },
]);

export const WORST_CASES: readonly WorstCase[] = [
  ...requirementsTxt,
  ...tomlCases('poetry-lock', 'poetry.lock'),
  ...pipfileLock,
  ...tomlCases('uv-lock', 'uv.lock'),
  ...uvLock,
  ...tomlCases('pdm-lock', 'pdm.lock'),
  ...packageLock,
  ...yarnLock,
  ...pnpmLock,
  ...goMod,
  ...cargoLock,
  ...gemfileLock,
  ...composerLock,
  ...pomXml,
  ...gradleLockfile,
  ...cyclonedxJson,
  ...cyclonedxXml,
  ...spdxJson,
];
