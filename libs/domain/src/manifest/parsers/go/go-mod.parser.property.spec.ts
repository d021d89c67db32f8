import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { parseManifest } from '../../manifest-registry';
import type { ParsedDependency } from '../../manifest.types';
import { declaredOnce, itSurvivesHostileInput, RUNS } from '../hostile-input.test-helper';
import { goModParser } from './go-mod.parser';

const valid = manifestFixtures('go')('go.mod');

// Few module paths and versions, so generated files repeat requirements often.
const requirement = fc.record({
  path: fc.oneof(
    fc.constantFrom('example.com/a', 'golang.org/x/net', 'github.com/Acme/Lib/v2'),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}\.(com|org)\/[\w.-]{1,10}$/),
  ),
  version: fc.oneof(
    fc.constantFrom('v1.0.0', 'v0.0.0-20210101000000-abcdefabcdef', 'v2.3.4+incompatible'),
    fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `v${a}.${b}.${c}`),
  ),
  indirect: fc.boolean(),
  inBlock: fc.boolean(),
});

describe('goModParser on hostile input', () => {
  itSurvivesHostileInput(goModParser, 'go.mod', valid, { entries: 'a dependency' });

  it('reads back every generated require, each module version once, direct if any line lacks // indirect', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 25 }), (requirements) => {
        const lines = ['module example.com/app', '', 'go 1.22'];
        const declared: ParsedDependency[] = [];
        for (const r of requirements) {
          const written = `${r.path} ${r.version}${r.indirect ? ' // indirect' : ''}`;
          if (r.inBlock) lines.push('require (', `\t${written}`, ')');
          else lines.push(`require ${written}`);
          const line = r.inBlock ? lines.length - 1 : lines.length;
          declared.push({
            ecosystem: 'Go',
            name: r.path,
            version: r.version,
            scope: 'runtime',
            direct: !r.indirect,
            manifestPath: 'go.mod',
            line,
          });
        }
        const text = lines.join('\n');
        expect(parseManifest('go.mod', text).dependencies).toStrictEqual(declaredOnce(declared));
      }),
      RUNS,
    );
  });
});
