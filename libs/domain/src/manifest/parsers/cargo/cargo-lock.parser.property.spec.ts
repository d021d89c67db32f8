import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import type { ParsedDependency } from '../../manifest.types';
import { declaredOnce, itSurvivesHostileInput, parseSafely, RUNS } from '../hostile-input.test-helper';
import { cargoLockParser } from './cargo-lock.parser';

const valid = manifestFixtures('cargo')('Cargo.lock');
const parse = (text: string) => parseSafely(cargoLockParser, 'Cargo.lock', text);
const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

const crate = fc.record({
  name: fc.oneof(fc.constantFrom('serde', 'tokio', 'Inflector'), fc.stringMatching(/^[A-Za-z][\w-]{0,12}$/)),
  version: fc.oneof(
    fc.constantFrom('1.0.130', '0.1.0-alpha.1'),
    fc.tuple(fc.nat(50), fc.nat(50), fc.nat(50)).map(([a, b, c]) => `${a}.${b}.${c}`),
  ),
  sparse: fc.boolean(),
});

describe('cargoLockParser on hostile input', () => {
  itSurvivesHostileInput(cargoLockParser, 'Cargo.lock', valid, { entries: 'a crate' });

  it('reads back every generated crates.io package, each name and version once', () => {
    fc.assert(
      fc.property(fc.array(crate, { maxLength: 25 }), (crates) => {
        const lines = ['version = 3'];
        const declared: ParsedDependency[] = [];
        for (const c of crates) {
          lines.push('', '[[package]]');
          declared.push({
            ecosystem: 'crates.io',
            name: c.name,
            version: c.version,
            scope: 'runtime',
            direct: false,
            manifestPath: 'Cargo.lock',
            line: lines.length,
            // Cargo leaves `dependencies` out of a crate that has none: the graph is known and empty.
            dependsOn: [],
          });
          const source = c.sparse ? 'sparse+https://index.crates.io/' : CRATES_IO;
          lines.push(`name = "${c.name}"`, `version = "${c.version}"`, `source = "${source}"`);
        }
        expect(parseManifest('Cargo.lock', lines.join('\n')).dependencies).toStrictEqual(
          declaredOnce(declared),
        );
      }),
      RUNS,
    );
  });

  it('skips a package whose name or version is empty, and reads any other string as written', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 12 }),
        (name, version) => {
          // JSON's string escapes are TOML's too, except for lone surrogates, which TOML refuses.
          const text = `[[package]]\nname = ${JSON.stringify(name)}\nversion = ${JSON.stringify(version)}\nsource = "${CRATES_IO}"\n`;
          const { dependencies } = parse(text);
          for (const d of dependencies) expect([d.name, d.version]).toStrictEqual([name.trim(), version]);
          if (name.trim() === '' || version.trim() === '') expect(dependencies).toStrictEqual([]);
        },
      ),
      RUNS,
    );
  });
});
