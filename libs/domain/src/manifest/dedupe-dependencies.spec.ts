import fc from 'fast-check';
import { dedupeDependencies, dependencyIdentity, withoutRepeatedDependencies } from './dedupe-dependencies';
import { MANIFEST_PARSERS, parseManifest, parserFor } from './manifest-registry';
import type { DependencyScope, ParsedDependency } from './manifest.types';

const dependency = (overrides: Partial<ParsedDependency> = {}): ParsedDependency => ({
  ecosystem: 'PyPI',
  name: 'flask',
  version: '2.0.1',
  scope: 'runtime',
  direct: false,
  manifestPath: 'requirements.txt',
  line: 1,
  ...overrides,
});

describe('dedupeDependencies', () => {
  it('keeps one per ecosystem, name, version and manifest, at its first line, in first-seen order', () => {
    const result = dedupeDependencies([
      dependency({ line: 1 }),
      dependency({ name: 'requests', line: 2 }),
      dependency({ line: 3 }),
      dependency({ version: '2.0.2', line: 4 }),
      dependency({ manifestPath: 'other/requirements.txt', line: 5 }),
      dependency({ ecosystem: 'npm', line: 6 }),
    ]);
    expect(result.dependencies.map((d) => d.line)).toStrictEqual([1, 2, 4, 5, 6]);
    expect(result.repeats).toStrictEqual([
      { repeated: dependency({ line: 3 }), first: dependency({ line: 1 }) },
    ]);
  });

  it.each([
    ['dev', 'runtime', 'runtime'],
    ['runtime', 'dev', 'runtime'],
    ['dev', 'optional', 'optional'],
    ['optional', 'dev', 'optional'],
    ['optional', 'runtime', 'runtime'],
    ['dev', 'dev', 'dev'],
  ] as [DependencyScope, DependencyScope, DependencyScope][])(
    'merges %s and %s into %s, direct when either declaration is',
    (first, second, merged) => {
      const { dependencies } = dedupeDependencies([
        dependency({ scope: first, line: 7 }),
        dependency({ scope: second, direct: true, line: 2 }),
      ]);
      expect(dependencies).toStrictEqual([dependency({ scope: merged, direct: true, line: 7 })]);
    },
  );

  it('keeps the union of hashes, licences and edges of merged copies, in one order', () => {
    const sha1 = { algorithm: 'SHA-1', content: 'a'.repeat(40) } as const;
    const sha512 = { algorithm: 'SHA-512', content: 'b'.repeat(128) } as const;
    const copies = [
      dependency({ line: 1, hashes: [sha512], dependsOn: [{ name: 'werkzeug', version: '2.0.0' }] }),
      dependency({ line: 2 }),
      dependency({
        line: 3,
        hashes: [sha1, sha512],
        licenses: ['BSD-3-Clause'],
        dependsOn: [
          { name: 'jinja2', version: '3.0.0' },
          { name: 'werkzeug', version: '2.0.0' },
        ],
      }),
    ];
    const expected = dependency({
      line: 1,
      hashes: [sha1, sha512],
      licenses: ['BSD-3-Clause'],
      dependsOn: [
        { name: 'jinja2', version: '3.0.0' },
        { name: 'werkzeug', version: '2.0.0' },
      ],
    });
    expect(dedupeDependencies(copies).dependencies).toStrictEqual([expected]);
    expect(dedupeDependencies([...copies].reverse()).dependencies).toStrictEqual([{ ...expected, line: 3 }]);
    // Copies that say none of it stay as they were: no empty lists appear.
    expect(dedupeDependencies([dependency(), dependency({ line: 2 })]).dependencies).toStrictEqual([
      dependency(),
    ]);
  });

  it('keeps unpinned requirements apart when they say different things', () => {
    const unpinned = (specifier: string, line: number) => dependency({ version: null, specifier, line });
    const { dependencies } = dedupeDependencies([unpinned('>=1', 1), unpinned('<3', 2), unpinned('>=1', 3)]);
    expect(dependencies).toStrictEqual([unpinned('>=1', 1), unpinned('<3', 2)]);
    expect(dependencyIdentity(unpinned('>=1', 1))).not.toBe(dependencyIdentity(dependency()));
  });

  it('keeps what the caller added to each dependency (a purl, say)', () => {
    const { dependencies } = dedupeDependencies([
      { ...dependency({ scope: 'dev' }), purl: 'pkg:pypi/flask@2.0.1' },
      { ...dependency({ direct: true }), purl: 'pkg:pypi/flask@2.0.1' },
    ]);
    expect(dependencies).toStrictEqual([{ ...dependency({ direct: true }), purl: 'pkg:pypi/flask@2.0.1' }]);
  });

  it('merges exactly the dependencies whose identities are equal, however names and versions mix', () => {
    // The plain definition: one map from the whole identity to the first index.
    const reference = (list: readonly ParsedDependency[]) => {
      const firsts = new Map<string, number>();
      return list.map((d, index) => {
        const identity = dependencyIdentity(d);
        const first = firsts.get(identity);
        if (first === undefined) firsts.set(identity, index);
        return first ?? index;
      });
    };
    const generated = fc.record({
      ecosystem: fc.constantFrom('PyPI', 'npm'),
      name: fc.constantFrom('flask', 'same'),
      version: fc.constantFrom('1.0', '2.0', '', null),
      specifier: fc.option(fc.constantFrom('>=1', '<3', ''), { nil: undefined }),
      manifestPath: fc.constantFrom('a/requirements.txt', 'b/requirements.txt'),
    });
    fc.assert(
      fc.property(fc.array(generated, { maxLength: 30 }), (fields) => {
        const list = fields.map(({ specifier, ...rest }, line) =>
          dependency({ ...rest, ...(specifier === undefined ? {} : { specifier }), line }),
        );
        const firstOf = reference(list);
        const { dependencies, repeats } = dedupeDependencies(list);
        expect(dependencies.map((d) => d.line)).toStrictEqual(
          firstOf.flatMap((first, index) => (first === index ? [index] : [])),
        );
        expect(repeats.map(({ repeated, first }) => [repeated.line, first.line])).toStrictEqual(
          firstOf.flatMap((first, index) => (first === index ? [] : [[index, first]])),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('merges a hundred thousand repeats of one line into one', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => dependency({ line: i + 1 }));
    expect(dedupeDependencies(many).dependencies).toStrictEqual([dependency({ line: 1 })]);
  });
});

describe('withoutRepeatedDependencies', () => {
  it('reports each repeat the parser did not, and no more than twenty one by one', () => {
    const repeats = Array.from({ length: 30 }, (_, i) => dependency({ line: i + 2 }));
    const result = withoutRepeatedDependencies({
      dependencies: [dependency({ line: 1 }), ...repeats],
      // The parser reported line 2 itself; the central pass must not say it again.
      diagnostics: [{ severity: 'warning', code: 'DUPLICATE', message: 'flask is declared twice', line: 2 }],
    });
    expect(result.dependencies).toStrictEqual([dependency({ line: 1 })]);
    expect(result.diagnostics).toHaveLength(1 + 20 + 1);
    expect(result.diagnostics[1]).toStrictEqual({
      severity: 'info',
      code: 'DUPLICATE',
      message: 'flask 2.0.1 is listed more than once (first on line 1); it is counted once',
      line: 3,
    });
    expect(result.diagnostics[21]).toStrictEqual({
      severity: 'info',
      code: 'DUPLICATE',
      message: '9 more repeated dependencies were counted once',
    });
  });

  it('returns a result without repeats as it is', () => {
    const result = { dependencies: [dependency()], diagnostics: [] };
    expect(withoutRepeatedDependencies(result)).toBe(result);
  });
});

// One regression test per format: each file lists one dependency twice (the ways each format can),
// and a scan must see it once. Several parsers return the repeat themselves; parseManifest merges.
const REPEATED: [path: string, text: string, expected: Partial<ParsedDependency>][] = [
  ['requirements.txt', 'flask==2.0.1\nFlask==2.0.1\n', { name: 'flask', version: '2.0.1', line: 1 }],
  [
    'poetry.lock',
    '[[package]]\nname = "flask"\nversion = "2.0.1"\n\n[[package]]\nname = "Flask"\nversion = "2.0.1"\n\n[metadata]\nlock-version = "2.0"\n',
    { name: 'flask', version: '2.0.1', line: 1 },
  ],
  [
    'Pipfile.lock',
    JSON.stringify(
      {
        _meta: { 'pipfile-spec': 6 },
        default: { flask: { version: '==2.0.1' } },
        develop: { flask: { version: '==2.0.1' } },
      },
      null,
      2,
    ),
    { name: 'flask', version: '2.0.1', scope: 'runtime' },
  ],
  [
    'uv.lock',
    'version = 1\n\n[[package]]\nname = "flask"\nversion = "2.0.1"\nsource = { registry = "https://pypi.org/simple" }\n\n[[package]]\nname = "flask"\nversion = "2.0.1"\nsource = { registry = "https://pypi.org/simple" }\n',
    { name: 'flask', version: '2.0.1', line: 3 },
  ],
  [
    'pdm.lock',
    '[metadata]\nlock_version = "4.4"\n\n[[package]]\nname = "flask"\nversion = "2.0.1"\n\n[[package]]\nname = "flask"\nversion = "2.0.1"\n',
    { name: 'flask', version: '2.0.1' },
  ],
  [
    'package-lock.json',
    JSON.stringify(
      {
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/a/node_modules/debug': { version: '2.6.9' },
          'node_modules/b/node_modules/debug': { version: '2.6.9' },
        },
      },
      null,
      2,
    ),
    { name: 'debug', version: '2.6.9' },
  ],
  [
    'yarn.lock',
    '# yarn lockfile v1\n\n\ndebug@^2.0.0:\n  version "2.6.9"\n  resolved "https://registry.yarnpkg.com/debug/-/debug-2.6.9.tgz"\n\ndebug@~2.6.0:\n  version "2.6.9"\n  resolved "https://registry.yarnpkg.com/debug/-/debug-2.6.9.tgz"\n',
    { name: 'debug', version: '2.6.9', line: 4 },
  ],
  [
    'pnpm-lock.yaml',
    "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      debug:\n        specifier: ^2.6.0\n        version: 2.6.9\n\npackages:\n  debug@2.6.9:\n    resolution: {integrity: sha512-x}\n\nsnapshots:\n  debug@2.6.9:\n    dependencies: {}\n  debug@2.6.9(supports-color@5.0.0):\n    dependencies: {}\n",
    { name: 'debug', version: '2.6.9', direct: true },
  ],
  [
    'go.mod',
    'module example.com/app\n\nrequire example.com/dup v1.0.0 // indirect\n\nrequire (\n\texample.com/dup v1.0.0\n)\n',
    { name: 'example.com/dup', version: 'v1.0.0', direct: true, line: 3 },
  ],
  [
    'Cargo.lock',
    'version = 3\n\n[[package]]\nname = "serde"\nversion = "1.0.130"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[[package]]\nname = "serde"\nversion = "1.0.130"\nsource = "sparse+https://index.crates.io/"\n',
    { name: 'serde', version: '1.0.130', line: 3 },
  ],
  [
    'Gemfile.lock',
    'GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (7.0.4)\n\nGEM\n  remote: https://gems.example.com/\n  specs:\n    rails (7.0.4)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rails\n',
    { name: 'rails', version: '7.0.4', direct: true, line: 4 },
  ],
  [
    'composer.lock',
    JSON.stringify(
      {
        packages: [{ name: 'acme/dup', version: 'v1.0.0' }],
        'packages-dev': [{ name: 'acme/dup', version: '1.0.0' }],
      },
      null,
      4,
    ),
    { name: 'acme/dup', version: '1.0.0', scope: 'runtime', line: 4 },
  ],
  [
    // Maven keeps both: the same artifact and its `tests` classifier are different jars.
    'pom.xml',
    '<project>\n  <dependencies>\n    <dependency>\n      <groupId>org.acme</groupId>\n      <artifactId>dup</artifactId>\n      <version>1.0</version>\n      <scope>test</scope>\n    </dependency>\n    <dependency>\n      <groupId>org.acme</groupId>\n      <artifactId>dup</artifactId>\n      <version>1.0</version>\n      <classifier>tests</classifier>\n    </dependency>\n  </dependencies>\n</project>\n',
    { name: 'org.acme:dup', version: '1.0', scope: 'runtime', line: 5 },
  ],
  [
    'gradle.lockfile',
    'org.acme:dup:1.0=testRuntimeClasspath\norg.acme:dup:1.0=runtimeClasspath\nempty=\n',
    { name: 'org.acme:dup', version: '1.0', scope: 'runtime', line: 1 },
  ],
  [
    // An image's SBOM lists a package once per place it is installed.
    'sbom.cdx.json',
    '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [\n{"purl": "pkg:npm/dup@1.0.0", "scope": "excluded"},\n{"purl": "pkg:npm/dup@1.0.0"}\n]}\n',
    { name: 'dup', version: '1.0.0', scope: 'runtime', line: 2 },
  ],
  [
    'sbom.cdx.xml',
    '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>\n<component><purl>pkg:npm/dup@1.0.0</purl></component>\n<component><purl>pkg:npm/dup@1.0.0</purl></component>\n</components></bom>\n',
    { name: 'dup', version: '1.0.0', scope: 'runtime', line: 2 },
  ],
  [
    'sbom.spdx.json',
    '{"spdxVersion": "SPDX-2.3", "packages": [\n{"SPDXID": "a", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/dup@1.0.0"}]},\n{"SPDXID": "b", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/dup@1.0.0"}]}\n]}\n',
    { name: 'dup', version: '1.0.0', scope: 'runtime', line: 2 },
  ],
];

describe('parseManifest with a dependency listed twice', () => {
  it('covers every format', () => {
    expect(REPEATED.map(([path]) => parserFor(path)?.id).sort()).toStrictEqual(
      MANIFEST_PARSERS.map((p) => p.id).sort(),
    );
  });

  it.each(REPEATED)('%s yields it once', (path, text, expected) => {
    const { dependencies, diagnostics } = parseManifest(path, text);
    const identities = dependencies.map(dependencyIdentity);
    expect(new Set(identities).size).toBe(identities.length);
    const found = dependencies.filter((d) => d.name === expected.name);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ...expected, manifestPath: path });
    // Merging is not an error: nothing the parser could not read.
    expect(diagnostics.filter((d) => d.severity === 'error')).toStrictEqual([]);
  });
});
