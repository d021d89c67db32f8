import fc from 'fast-check';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { damaged, mostly, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { parseGemfileLock } from './gemfile-lock.parser';

const fixture = manifestFixtures('rubygems');

/** The parse with plain lines scanned, the same as when every line takes the general path. */
function expectSameAsGeneralPath(text: string): void {
  expect(parseGemfileLock('Gemfile.lock', text, true)).toEqual(parseGemfileLock('Gemfile.lock', text, false));
}

// Few names and versions, so locks repeat gems; each piece is one a line may hold, or a near miss.
const NAMES = ['rails', 'nokogiri', 'mini_portile2', 'Ruby-Lib_2', 'a.b', 'a@b'];
const ODD_NAMES = ['', 'a!', 'a(', 'a)', 'é', 'a\u00a0b', 'a\tb', '(a', '\ta', '\u00a0a', ' a'];
const VERSIONS = ['7.0.4', '1.0.0.rc1', '1', '2.0'];
const ODD_VERSIONS = ['', '1 0', '1+x', '1_0', '1)', '(1', 'b@1', '1.0\u00a0'];
const PLATFORMS = ['', '', '-x86_64-linux', '-arm64-darwin', '-java'];
const ODD_PLATFORMS = ['-', '-a b', '-(x', '-\u00e9', '--'];
const INDENTS = ['    ', '    ', '      ', '  '];
const ODD_INDENTS = ['', ' ', '   ', '     ', '        ', '\t', '  \t  ', '\u00a0   '];
const TAILS = ['', '', ' ', '!', ' (>= 1.0)', ' (~> 2.0, >= 2.2.0)', ' (= 1)!'];
const ODD_TAILS = [' (', ' (>= 1', ' (1!', ' (é)', ' ()', ' (a)b', '  (1)', ' (1))', '\t', '\u2028', ')'];
const SECTIONS = ['GEM', 'GEM', 'GIT', 'PATH', 'PLUGIN SOURCE', 'DEPENDENCIES', 'PLATFORMS'];
const ODD_SECTIONS = ['BUNDLED WITH', 'gem', '<<<<<<< HEAD', '=======', '>>>>>>> x', '', ' GEM'];
const SPECS = ['  specs:', '  remote: x\n  specs:'];
const ODD_SPECS = ['', '  specs: ', ' specs:', '  remote: x', '\tspecs:'];

const spec = fc
  .tuple(
    mostly(INDENTS, ODD_INDENTS),
    mostly(NAMES, ODD_NAMES),
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .tuple(mostly(VERSIONS, ODD_VERSIONS), mostly(PLATFORMS, ODD_PLATFORMS))
          .map(([v, p]) => ` (${v}${p})`),
      },
      { weight: 1, arbitrary: mostly(TAILS, ODD_TAILS) },
    ),
    mostly([''], [' ', '\t', ')', '!']),
  )
  .map((parts) => parts.join(''));
// Sections as locks have them, a header and mostly `specs:` before their lines.
const section = fc
  .tuple(mostly(SECTIONS, ODD_SECTIONS), mostly(SPECS, ODD_SPECS), fc.array(spec, { maxLength: 8 }))
  .map(([header, specs, lines]) => [header, specs, ...lines].join('\n'));
const file = fc.array(section, { maxLength: 5 }).map((sections) => sections.join('\n'));

describe('Gemfile.lock plain lines', () => {
  it('give exactly what the general path gives, for lines of every shape and near miss', () => {
    fc.assert(
      fc.property(file, (text) => expectSameAsGeneralPath(text)),
      { numRuns: 600 },
    );
  });

  it('give exactly what the general path gives for the real fixtures and damaged copies of them', () => {
    const names = [
      'Gemfile.lock',
      'conflict.Gemfile.lock',
      'crlf-bom-tabs.Gemfile.lock',
      'truncated.Gemfile.lock',
      'empty.Gemfile.lock',
    ];
    for (const name of names) expectSameAsGeneralPath(fixture(name));
    const tokens = [
      ...NAMES,
      ...ODD_NAMES,
      ...VERSIONS,
      ...ODD_VERSIONS,
      ...SECTIONS,
      ...TAILS,
      '\n',
      ' ',
      '(',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names).chain((name) => damaged(fixture(name), tokens)),
        (text) => expectSameAsGeneralPath(text),
      ),
      PROPERTY_RUNS,
    );
  });
});
