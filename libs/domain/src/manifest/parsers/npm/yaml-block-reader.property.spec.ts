import fc from 'fast-check';
import { parseEvents } from 'js-yaml';
import { manifestFixtures } from '../../../../../../test/support/manifest-fixtures';
import type { ManifestParser } from '../../manifest.types';
import { damaged } from '../hostile-tokens.test-helper';
import { pnpmLockParser } from './pnpm-lock.parser';
import { damagedLines, expectDeclinedOrSame, pnpmLockText } from './yaml-block-lock.test-helper';
import { readYamlBlockLock } from './yaml-block-reader';
import { yarnLockParser } from './yarn-lock.parser';

const fixture = manifestFixtures('npm');
const PNPM_FIXTURES = ['pnpm-v5.4', 'pnpm-v6.0', 'pnpm-v9.0'].map((folder) =>
  fixture(`${folder}/pnpm-lock.yaml`),
);
const YAML_TOKENS = [
  ': ',
  '- ',
  "'",
  '"',
  '[',
  ']',
  '{',
  '}',
  ', ',
  '#',
  '\n',
  '\n  ',
  '  ',
  '&a',
  '*a',
  '|',
];
const RUNS = { numRuns: 60 } as const;

// Counts the files that reach js-yaml's event parser.
jest.mock('js-yaml', () => {
  const actual = jest.requireActual<typeof import('js-yaml')>('js-yaml');
  return { ...actual, parseEvents: jest.fn(actual.parseEvents) };
});

/** The parsers as they were before the block reader: it always declines, so js-yaml reads every file. */
const declined = jest.fn(() => undefined);
let before!: { pnpm: ManifestParser; yarn: ManifestParser };
jest.isolateModules(() => {
  jest.doMock('./yaml-block-reader', () => ({ readYamlBlockLock: declined }));
  before = {
    pnpm: jest.requireActual<typeof import('./pnpm-lock.parser')>('./pnpm-lock.parser').pnpmLockParser,
    yarn: jest.requireActual<typeof import('./yarn-lock.parser')>('./yarn-lock.parser').yarnLockParser,
  };
});

/** The parser's whole answer, dependencies and diagnostics, is what the js-yaml path gives. */
function expectSameParse(path: string, text: string): void {
  const parser = path === 'yarn.lock' ? yarnLockParser : pnpmLockParser;
  const old = path === 'yarn.lock' ? before.yarn : before.pnpm;
  expect(parser.parse(path, text)).toStrictEqual(old.parse(path, text));
}

describe('the block reader against js-yaml', () => {
  it('compares with parsers whose block reader always declines', () => {
    before.pnpm.parse('pnpm-lock.yaml', PNPM_FIXTURES[0] as string);
    expect(declined).toHaveBeenCalled();
  });

  it('reads lock files as pnpm and yarn write them without js-yaml, which reads the rest', () => {
    const events = jest.mocked(parseEvents);
    events.mockClear();
    for (const text of PNPM_FIXTURES) pnpmLockParser.parse('pnpm-lock.yaml', text);
    for (const text of fc.sample(pnpmLockText, { numRuns: 20 })) pnpmLockParser.parse('pnpm-lock.yaml', text);
    yarnLockParser.parse('yarn.lock', fixture('yarn-berry/yarn.lock'));
    expect(events).not.toHaveBeenCalled();
    pnpmLockParser.parse('pnpm-lock.yaml', "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: &x {}\n");
    expect(events).toHaveBeenCalledTimes(1);
  });

  it('reads every pnpm-lock.yaml as pnpm writes it, with the same data and parse as js-yaml', () => {
    fc.assert(
      fc.property(pnpmLockText, (text) => {
        expect(expectDeclinedOrSame(text)).toBe(true);
        expectSameParse('pnpm-lock.yaml', text);
      }),
      RUNS,
    );
  });

  it('declines or agrees with js-yaml on damaged generated lock files', () => {
    let read = 0;
    const text = pnpmLockText.chain((valid) => fc.oneof(damagedLines(valid), damaged(valid, YAML_TOKENS)));
    fc.assert(
      fc.property(text, (damagedText) => {
        if (expectDeclinedOrSame(damagedText)) read++;
        expectSameParse('pnpm-lock.yaml', damagedText);
      }),
      { numRuns: 200 },
    );
    // Damage the reader still takes (a line dropped or repeated, a file cut at a line) must be tried.
    expect(read).toBeGreaterThan(20);
  });

  it.each([
    ...PNPM_FIXTURES.map((text, i) => ['pnpm-lock.yaml', `pnpm fixture ${i + 1}`, text] as const),
    ['yarn.lock', 'yarn berry fixture', fixture('yarn-berry/yarn.lock')] as const,
  ])('declines or agrees with js-yaml on damaged copies of the %s %s', (path, _, valid) => {
    expect(readYamlBlockLock(valid, 200)).toBeDefined();
    expectSameParse(path, valid);
    fc.assert(
      fc.property(fc.oneof(damagedLines(valid), damaged(valid, YAML_TOKENS)), (text) => {
        expectDeclinedOrSame(text);
        expectSameParse(path, text);
      }),
      RUNS,
    );
  });
});
