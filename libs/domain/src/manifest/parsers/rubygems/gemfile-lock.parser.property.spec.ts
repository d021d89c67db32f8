import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import type { ParsedDependency } from '../../manifest.types';
import { declaredOnce, itSurvivesHostileInput, RUNS } from '../hostile-input.test-helper';
import { gemfileLockParser } from './gemfile-lock.parser';

const valid = manifestFixtures('rubygems')('Gemfile.lock');

const gem = fc.record({
  name: fc.oneof(
    fc.constantFrom('rails', 'nokogiri', 'Ruby-Lib_2'),
    fc.stringMatching(/^[A-Za-z][\w.-]{0,12}$/),
  ),
  version: fc.oneof(
    fc.constantFrom('7.0.4', '1.0.0.rc1'),
    fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`),
  ),
  // Bundler writes one entry per platform of a native gem: same gem, same version.
  platform: fc.constantFrom('', '-x86_64-linux', '-arm64-darwin'),
  requires: fc.array(fc.constantFrom('rack (~> 2.0)', 'activesupport (= 7.0.4)', 'mini_portile2'), {
    maxLength: 2,
  }),
  direct: fc.boolean(),
});

describe('gemfileLockParser on hostile input', () => {
  itSurvivesHostileInput(gemfileLockParser, 'Gemfile.lock', valid, { entries: 'a gem' });

  it('reads back every generated gem, each version once, direct when DEPENDENCIES names it', () => {
    fc.assert(
      fc.property(fc.array(gem, { maxLength: 25 }), (gems) => {
        const lines = ['GEM', '  remote: https://rubygems.org/', '  specs:'];
        const declared: ParsedDependency[] = [];
        for (const g of gems) {
          lines.push(`    ${g.name} (${g.version}${g.platform})`, ...g.requires.map((r) => `      ${r}`));
          declared.push({
            ecosystem: 'RubyGems',
            name: g.name,
            version: g.version,
            scope: 'runtime',
            direct: gems.some((other) => other.name === g.name && other.direct),
            manifestPath: 'Gemfile.lock',
            line: lines.length - g.requires.length,
          });
        }
        lines.push('', 'PLATFORMS', '  ruby', '', 'DEPENDENCIES');
        for (const g of gems) if (g.direct) lines.push(`  ${g.name}`);
        lines.push('', 'BUNDLED WITH', '   2.4.10');
        expect(parseManifest('Gemfile.lock', lines.join('\n')).dependencies).toStrictEqual(
          declaredOnce(declared),
        );
      }),
      RUNS,
    );
  });
});
