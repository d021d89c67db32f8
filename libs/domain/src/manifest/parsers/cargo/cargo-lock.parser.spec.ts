import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { ParsedDependency } from '../../manifest.types';
import { graphOf, resultWithoutLockMetadata } from '../lock-metadata.test-helper';
import { cargoLockParser } from './cargo-lock.parser';

const fixture = manifestFixtures('cargo');

// What the parser always read; checksums and edges have their own specs below.
const parse = (path: string, text: string) => resultWithoutLockMetadata(cargoLockParser.parse(path, text));

const crate = (name: string, version: string, line: number, manifestPath = 'Cargo.lock') =>
  ({
    ecosystem: 'crates.io',
    name,
    version,
    scope: 'runtime',
    direct: false,
    manifestPath,
    line,
  }) satisfies ParsedDependency;

describe('cargoLockParser', () => {
  it('emits crates.io packages (every version of a crate), skips workspace crates, flags git and other registries', () => {
    const { dependencies, diagnostics } = parse('Cargo.lock', fixture('Cargo.lock'));
    expect(dependencies).toStrictEqual([
      crate('anyhow', '1.0.79', 26),
      crate('regex', '1.10.2', 43),
      crate('serde', '1.0.195', 49),
      crate('serde_derive', '1.0.195', 58),
      crate('syn', '1.0.109', 69),
      crate('syn', '2.0.48', 75),
      crate('tokio', '1.35.1', 81),
    ]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNRESOLVABLE',
        message:
          'clap 4.4.18 comes from git (git+https://github.com/clap-rs/clap?branch=master#3f5ec9f8cb2d0c5bb43c2b9d3ad8af2cd4dcd8b5); it has no registry version to check',
        line: 32,
      },
      {
        severity: 'info',
        code: 'OTHER_REGISTRY',
        message:
          'internal-metrics 0.9.1 comes from registry+https://crates.acme.internal/git/index, not crates.io; it was not checked',
        line: 37,
      },
    ]);
  });

  it('reads a version 4 lock with CRLF, a BOM, tabs, a header comment and the sparse index', () => {
    const text = fixture('crlf-bom-v4.Cargo.lock');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('\r\n');
    expect(parse('server/Cargo.lock', text)).toStrictEqual({
      dependencies: [
        crate('hyper', '0.14.10', 5, 'server/Cargo.lock'),
        crate('smallvec', '1.6.0', 11, 'server/Cargo.lock'),
      ],
      diagnostics: [],
    });
  });

  it('reads the version 1 format (no version key, checksums under [metadata])', () => {
    expect(parse('Cargo.lock', fixture('v1.Cargo.lock'))).toStrictEqual({
      dependencies: [crate('libc', '0.2.66', 9), crate('time', '0.1.42', 14)],
      diagnostics: [],
    });
  });

  it('warns about a lock version it does not know, reads it anyway, and reports incomplete entries', () => {
    const { dependencies, diagnostics } = parse('Cargo.lock', fixture('future-version.Cargo.lock'));
    expect(dependencies).toStrictEqual([crate('bytes', '1.5.0', 3)]);
    expect(diagnostics).toStrictEqual([
      {
        severity: 'warning',
        code: 'UNSUPPORTED_VERSION',
        message: 'Cargo.lock version 7 is not one RepoGuard knows (1-4); packages were read as in version 4',
      },
      {
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: 'a [[package]] entry has no name; it was skipped',
        line: 13,
      },
      {
        severity: 'warning',
        code: 'MISSING_FIELD',
        message: 'a [[package]] entry has no version (half-written); it was skipped',
        line: 17,
      },
    ]);
  });

  it('reports a lock version or a source written as a table instead of throwing', () => {
    const lock = [
      'version = { major = 4 }',
      '[[package]]',
      'name = "serde"',
      'version = "1.0.0"',
      'source = { registry = "x" }',
    ].join('\n');
    expect(parse('Cargo.lock', lock)).toEqual({
      dependencies: [],
      diagnostics: [
        expect.objectContaining({
          code: 'UNSUPPORTED_VERSION',
          message: expect.stringContaining('version {"major":4}'),
        }),
        expect.objectContaining({
          code: 'OTHER_REGISTRY',
          message: 'serde 1.0.0 comes from {"registry":"x"}, not crates.io; it was not checked',
          line: 2,
        }),
      ],
    });
  });

  it('reports invalid TOML with its line and emits nothing', () => {
    expect(parse('Cargo.lock', fixture('truncated.Cargo.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'INVALID_SYNTAX',
          message: 'Cargo.lock is not valid TOML: control characters are not allowed in strings',
          line: 11,
        },
      ],
    });
    const duplicated = 'version = 3\n[[package]]\nname = "a"\nname = "b"\n';
    expect(parse('Cargo.lock', duplicated).diagnostics.map((d) => [d.code, d.line])).toStrictEqual([
      ['INVALID_SYNTAX', 4],
    ]);
  });

  it('leaves lines out rather than guess when a header count does not match the packages', () => {
    // The inline-array form has no [[package]] header to point at.
    const text =
      'version = 3\npackage = [{ name = "log", version = "0.4.20", source = "registry+https://github.com/rust-lang/crates.io-index" }]\n';
    const [only] = parse('Cargo.lock', text).dependencies;
    expect(only).toStrictEqual({
      ecosystem: 'crates.io',
      name: 'log',
      version: '0.4.20',
      scope: 'runtime',
      direct: false,
      manifestPath: 'Cargo.lock',
    });
  });

  it('reports an empty file as having no packages', () => {
    expect(parse('Cargo.lock', fixture('empty.Cargo.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        { severity: 'warning', code: 'MISSING_FIELD', message: 'Cargo.lock has no [[package]] entries' },
      ],
    });
  });

  it('refuses binary content', () => {
    expect(parse('Cargo.lock', fixture('binary.Cargo.lock'))).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'NOT_TEXT',
          message: 'Cargo.lock is not a text file (binary content); it was skipped',
        },
      ],
    });
  });

  describe('checksums and the dependency graph', () => {
    it('reads `checksum` as SHA-256 and `dependencies` by name, or by name and version', () => {
      const { dependencies } = cargoLockParser.parse('Cargo.lock', fixture('Cargo.lock'));
      expect(dependencies.find((d) => d.name === 'anyhow')).toStrictEqual({
        ...crate('anyhow', '1.0.79', 26),
        hashes: [
          {
            algorithm: 'SHA-256',
            content: '080e9890a082662b09c1ad45f567faeeb47f22b5fb23895fbe1e3b7a14b0d28c',
          },
        ],
        dependsOn: [],
      });
      expect(graphOf(dependencies)).toStrictEqual({
        'anyhow@1.0.79': [],
        'regex@1.10.2': [],
        'serde@1.0.195': ['serde_derive@1.0.195'],
        // proc-macro2 and quote are not in the lock: no edge to them.
        'serde_derive@1.0.195': ['syn@2.0.48'],
        'syn@1.0.109': [],
        'syn@2.0.48': [],
        'tokio@1.35.1': [],
      });
    });

    it('version 1: edges with their source, checksums from [metadata]', () => {
      const { dependencies } = cargoLockParser.parse('Cargo.lock', fixture('v1.Cargo.lock'));
      expect(graphOf(dependencies)).toStrictEqual({ 'libc@0.2.66': [], 'time@0.1.42': ['libc@0.2.66'] });
      expect(dependencies.find((d) => d.name === 'time')?.hashes).toStrictEqual([
        { algorithm: 'SHA-256', content: 'db8dcfca086c1143c9270ac42a2bbd8a7ee477b78ac8e45b19abfb0cbede4b6f' },
      ]);
    });

    it('keeps cycles, drops a bare name that two versions share and a checksum that is not SHA-256', () => {
      const lock = [
        'version = 3',
        '[[package]]',
        'name = "a"',
        'version = "1.0.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        'checksum = "not-a-digest"',
        'dependencies = ["b", "c", "c 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)", 7]',
        '[[package]]',
        'name = "b"',
        'version = "1.0.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        'dependencies = ["a 1.0.0", "b"]',
        '[[package]]',
        'name = "c"',
        'version = "1.0.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        '[[package]]',
        'name = "c"',
        'version = "2.0.0"',
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
      ].join('\n');
      const { dependencies } = cargoLockParser.parse('Cargo.lock', lock);
      expect(graphOf(dependencies)).toStrictEqual({
        'a@1.0.0': ['b@1.0.0', 'c@2.0.0'],
        'b@1.0.0': ['a@1.0.0', 'b@1.0.0'],
        'c@1.0.0': [],
        'c@2.0.0': [],
      });
      expect(dependencies[0]).not.toHaveProperty('hashes');
    });
  });
});
