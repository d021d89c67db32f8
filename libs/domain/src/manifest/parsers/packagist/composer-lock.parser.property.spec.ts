import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import type { ParsedDependency } from '../../manifest.types';
import { declaredOnce, itSurvivesHostileInput, parseSafely, RUNS } from '../hostile-input.test-helper';
import { composerLockParser } from './composer-lock.parser';

const valid = manifestFixtures('packagist')('composer.lock');
const parse = (text: string) => parseSafely(composerLockParser, 'composer.lock', text);

const locked = fc.record({
  name: fc.oneof(
    fc.constantFrom('symfony/console', 'Monolog/Monolog', 'psr/log'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}\/[a-zA-Z][\w.-]{0,10}$/),
  ),
  version: fc.oneof(
    fc.constantFrom('5.4.1', 'v3.0.0', 'V2.1.0-beta1'),
    fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`),
  ),
});

describe('composerLockParser on hostile input', () => {
  itSurvivesHostileInput(composerLockParser, 'composer.lock', valid, { entries: 'a package' });

  it('reads back every generated package, each version once, runtime when any list has it there', () => {
    fc.assert(
      fc.property(
        fc.array(locked, { maxLength: 15 }),
        fc.array(locked, { maxLength: 15 }),
        (runtime, dev) => {
          // JSON.stringify with an indent of 4 puts each package's "name" on the line after its "{":
          // line 4 + 4i in "packages", and after that list closes, in "packages-dev".
          const text = JSON.stringify({ packages: runtime, 'packages-dev': dev }, null, 4);
          const devStart = runtime.length === 0 ? 5 : 6 + 4 * runtime.length;
          const declared: ParsedDependency[] = [
            ...runtime.map((p, i) => ({ ...p, scope: 'runtime' as const, line: 4 + 4 * i })),
            ...dev.map((p, i) => ({ ...p, scope: 'dev' as const, line: devStart + 4 * i })),
          ].map(({ name, version, scope, line }) => ({
            ecosystem: 'Packagist',
            name: name.toLowerCase(),
            version: version.replace(/^v/i, ''),
            scope,
            direct: false,
            manifestPath: 'composer.lock',
            line,
            // Composer leaves `require` out of a package that needs nothing: the graph is known and empty.
            dependsOn: [],
          }));
          expect(parseManifest('composer.lock', text).dependencies).toStrictEqual(declaredOnce(declared));
        },
      ),
      RUNS,
    );
  });

  it('skips a package whose name or version is not a non-empty string, whatever JSON it is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.jsonValue(), version: fc.jsonValue() }), { maxLength: 5 }),
        (packages) => {
          const { dependencies } = parse(JSON.stringify({ packages }));
          for (const d of dependencies) expect(d.name.trim()).not.toBe('');
        },
      ),
      RUNS,
    );
    expect(
      parse('{"packages": [{"name": "a/b", "version": ""}, {"name": " ", "version": "1.0"}]}'),
    ).toStrictEqual({
      dependencies: [],
      diagnostics: [
        {
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: 'packages[0] has no version (a/b); it was skipped',
          line: 1,
        },
        {
          severity: 'warning',
          code: 'MISSING_FIELD',
          message: 'packages[1] has no name; it was skipped',
          line: 1,
        },
      ],
    });
  });
});
