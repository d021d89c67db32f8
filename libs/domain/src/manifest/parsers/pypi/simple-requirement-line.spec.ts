import fc from 'fast-check';
import { fixtureIncludes, manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import { isMarkedUnique } from '../../dedupe-dependencies';
import type { ParseOptions } from '../../manifest.types';
import { damaged, PROPERTY_RUNS } from '../hostile-tokens.test-helper';
import { parseRequirementsTxt } from './requirements-txt.parser';
import { scanSimpleRequirement, SimpleRequirementLine } from './simple-requirement-line';

const fixture = manifestFixtures('pypi/requirements');

/** The parse with simple lines scanned, the same as when every line takes the general path. */
function expectSameAsGeneralPath(path: string, text: string, options: ParseOptions = {}): void {
  const fast = parseRequirementsTxt(path, text, options, true);
  const general = parseRequirementsTxt(path, text, options, false);
  expect(fast).toEqual(general);
  expect(isMarkedUnique(fast.dependencies)).toBe(isMarkedUnique(general.dependencies));
}

// The simple shapes, mostly, and near misses of them: each piece is one a line may hold.
const NAMES = ['requests', 'a', 'x-1', '9lives', 'Django', 'zope.interface', 'foo_bar', 'a--b'];
const NOT_NAMES = ['a-', '-a', '.a', 'a.', 'a.whl', 'b.tar.gz'];
const OPERATORS = ['==', '!=', '~=', '<=', '>=', '<', '>'];
const NOT_OPERATORS = ['===', '=', '<>', '=<', '~', '!'];
const VERSIONS = ['1', '1.0', '1.0.0', '01.002'];
const NOT_VERSIONS = [
  '2.*',
  '1.',
  '.1',
  '1..2',
  'v1',
  '1!2.0',
  '1.0rc1',
  '1.0.post2',
  '1+local',
  '1.0+a.tar.gz',
  '',
];
const SPACES = ['', ' ', '\t', '  '];
const NOT_SPACES = ['\u00a0', '\u2028', '\u000b'];
const TAILS = [
  ',',
  ' ;python_version<"3"',
  '; os_name == "nt"',
  ' # note',
  '#x',
  ' --hash=sha256:ab',
  ' -e x',
  '[extra]',
  ' @ https://h/x',
  '${VAR}',
  '.whl',
  '/x',
  ':',
];

/** Mostly one of `usual`, sometimes one of `unusual`. */
const mostly = (usual: readonly string[], unusual: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...usual) },
    { weight: 1, arbitrary: fc.constantFrom(...unusual) },
  );

const clause = fc
  .tuple(
    mostly(SPACES, NOT_SPACES),
    mostly(OPERATORS, NOT_OPERATORS),
    mostly(SPACES, NOT_SPACES),
    mostly(VERSIONS, NOT_VERSIONS),
  )
  .map((parts) => parts.join(''));
const line = fc
  .tuple(
    mostly(NAMES, NOT_NAMES),
    fc.array(clause, { maxLength: 3 }).map((clauses) => clauses.join(',')),
    mostly(SPACES, NOT_SPACES),
    mostly([''], TAILS),
  )
  .map((parts) => parts.join(''));
const file = fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n'));

describe('simple requirement lines', () => {
  it('recognises the common shapes and leaves the rest to the general path', () => {
    const at = new SimpleRequirementLine();
    for (const simple of ['requests', 'a==1', 'Django==4.2.1', 'a >= 1.0 , < 2', 'x~=1.4', 'a\t!=1']) {
      expect(scanSimpleRequirement(simple, at)).toBe(true);
    }
    for (const other of [
      'a==1.0rc1',
      'a===1',
      'a==2.*',
      'a~=1',
      'a==1,',
      'a-==1',
      'a[b]==1',
      'a==1;x',
      'a==1\u00a0',
    ]) {
      expect(scanSimpleRequirement(other, at)).toBe(false);
    }
  });

  it('gives exactly what the general path gives, for lines of every shape and near miss', () => {
    fc.assert(
      fc.property(file, (text) => expectSameAsGeneralPath('requirements.txt', text)),
      { numRuns: 500 },
    );
  });

  it('gives exactly what the general path gives with repeats, a dev include and constraints', () => {
    // Few names, so a file repeats them, one way and another, across scopes and constraints.
    const repeated = fc
      .array(
        fc.tuple(
          fc.constantFrom('a', 'B', 'a_b', 'A.b'),
          fc.constantFrom('', '==1', '==1.0', ' == 1', '==1,<2', '>=1,<2', '>= 1 ,<2', '<2', '===1'),
        ),
        { maxLength: 8 },
      )
      .map((lines) => lines.map(([name, spec]) => name + spec).join('\n'));
    fc.assert(
      fc.property(repeated, repeated, repeated, (main, dev, constraints) => {
        const files: Record<string, string> = { 'requirements-dev.txt': dev, 'constraints.txt': constraints };
        const text = `-r requirements-dev.txt\n-c constraints.txt\n${main}`;
        expectSameAsGeneralPath('requirements.txt', text, { readInclude: (path) => files[path] });
      }),
      PROPERTY_RUNS,
    );
  });

  it('gives exactly what the general path gives for the real fixtures and damaged copies of them', () => {
    const names = ['basic.txt', 'pip-compile.txt', 'windows-requirements.txt', 'invalid.txt'];
    for (const name of names) expectSameAsGeneralPath(name, fixture(name));
    expectSameAsGeneralPath('requirements.txt', fixture('project/requirements.txt'), {
      readInclude: fixtureIncludes('pypi/requirements/project'),
    });
    const tokens = [...NAMES, ...OPERATORS, ...NOT_OPERATORS, ...NOT_VERSIONS, ...TAILS, '\n', ' ', ','];
    fc.assert(
      fc.property(
        fc.constantFrom(...names).chain((name) => damaged(fixture(name), tokens)),
        (text) => expectSameAsGeneralPath('requirements.txt', text),
      ),
      PROPERTY_RUNS,
    );
  });
});
