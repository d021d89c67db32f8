import { manifestFixtures } from '../../../../test/support/manifest-fixtures';
import { parseManifest } from '../manifest/manifest-registry';
import { DEFAULT_POLICY } from './policy';
import { evaluatePolicy } from './evaluate-policy';
import { snapshotCompleteness } from '../dependency/snapshot-completeness';

const fixture = manifestFixtures();

/**
 * One valid fixture per parser, and where to cut it (just after the first `cutAfter` past the
 * middle, so the file ends mid-line): a line-based file (requirements.txt, yarn.lock) cut exactly
 * at a line end is a shorter valid file no parser can tell from the real one.
 */
const PARSERS: readonly { path: string; fixture: string; cutAfter: string }[] = [
  { path: 'requirements.txt', fixture: 'pypi/requirements/basic.txt', cutAfter: '==' },
  { path: 'poetry.lock', fixture: 'pypi/poetry/poetry-2.lock', cutAfter: '' },
  { path: 'Pipfile.lock', fixture: 'pypi/pipfile/Pipfile.lock', cutAfter: '' },
  { path: 'uv.lock', fixture: 'pypi/uv/uv.lock', cutAfter: '' },
  { path: 'pdm.lock', fixture: 'pypi/pdm/pdm.lock', cutAfter: '' },
  { path: 'package-lock.json', fixture: 'npm/package-lock-v3/package-lock.json', cutAfter: '' },
  { path: 'npm-shrinkwrap.json', fixture: 'npm/shrinkwrap/npm-shrinkwrap.json', cutAfter: '' },
  { path: 'yarn.lock', fixture: 'npm/yarn-v1/yarn.lock', cutAfter: '  versio' },
  { path: 'yarn.lock', fixture: 'npm/yarn-berry/yarn.lock', cutAfter: 'resolution: "' },
  { path: 'pnpm-lock.yaml', fixture: 'npm/pnpm-v9.0/pnpm-lock.yaml', cutAfter: '' },
  { path: 'go.mod', fixture: 'go/go.mod', cutAfter: '' },
  { path: 'Cargo.lock', fixture: 'cargo/Cargo.lock', cutAfter: '' },
  { path: 'Gemfile.lock', fixture: 'rubygems/Gemfile.lock', cutAfter: '' },
  { path: 'composer.lock', fixture: 'packagist/composer.lock', cutAfter: '' },
  { path: 'pom.xml', fixture: 'maven/pom.xml', cutAfter: '' },
  { path: 'gradle.lockfile', fixture: 'maven/gradle.lockfile', cutAfter: '' },
];

const truncated = (text: string, cutAfter: string) =>
  text.slice(0, text.indexOf(cutAfter, Math.floor(text.length / 2)) + cutAfter.length);

const completeness = (path: string, text: string) =>
  snapshotCompleteness([{ path, ...parseManifest(path, text) }]);

describe.each(PARSERS)(
  'a $path ($fixture) that could not be read is incomplete',
  ({ path, fixture: name, cutAfter }) => {
    const valid = fixture(name);

    it('is complete as written', () => {
      expect(completeness(path, valid)).toEqual({ complete: true, diagnostics: [] });
    });

    it.each([
      ['empty', ''],
      ['blank', '  \n\n'],
      ['truncated', truncated(valid, cutAfter)],
      ['garbage', 'garbage: [[[ {{ <<<\n'],
    ])('is incomplete when %s', (_, text) => {
      const result = completeness(path, text);
      expect(result.complete).toBe(false);
      expect(result.diagnostics[0]).toEqual(expect.objectContaining({ path }));
      expect(evaluatePolicy(DEFAULT_POLICY, [], [], new Date(0), result).status).not.toBe('OK');
    });
  },
);
