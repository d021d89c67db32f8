import * as cargo from './parsers/cargo';
import * as go from './parsers/go';
import * as maven from './parsers/maven';
import * as npm from './parsers/npm';
import * as packagist from './parsers/packagist';
import * as pypi from './parsers/pypi';
import * as rubygems from './parsers/rubygems';
import * as sbom from './parsers/sbom';
import {
  isVendoredPath,
  MANIFEST_PARSERS,
  parseManifest,
  parserFor,
  selectManifestPaths,
} from './manifest-registry';

describe('manifest registry', () => {
  // The registry loads each parser's module on its first parse and restates its id and ecosystem.
  it('names every parser by the id and ecosystem its module gives it', () => {
    const loaded = new Map(
      [cargo, go, maven, npm, packagist, pypi, rubygems, sbom]
        .flatMap((m) => Object.values(m) as unknown[])
        .filter(
          (p): p is (typeof MANIFEST_PARSERS)[number] => typeof p === 'object' && p !== null && 'parse' in p,
        )
        .map((p) => [p.id, p.ecosystem]),
    );
    expect(MANIFEST_PARSERS.map((p) => [p.id, p.ecosystem])).toStrictEqual(
      MANIFEST_PARSERS.map((p) => [p.id, loaded.has(p.id) ? loaded.get(p.id) : 'not exported']),
    );
    expect(loaded.size).toBe(MANIFEST_PARSERS.length);
  });

  it.each([
    ['requirements.txt', 'requirements-txt'],
    ['requirements-dev.txt', 'requirements-txt'],
    ['services/api/requirements_test.txt', 'requirements-txt'],
    ['requirements.in', 'requirements-txt'],
    ['dev-requirements.in', 'requirements-txt'],
    ['requirements/base.txt', 'requirements-txt'],
    ['requirements/prod.in', 'requirements-txt'],
    ['poetry.lock', 'poetry-lock'],
    ['services/x/poetry.lock', 'poetry-lock'],
    ['Pipfile.lock', 'pipfile-lock'],
    ['uv.lock', 'uv-lock'],
    ['pdm.lock', 'pdm-lock'],
    ['package-lock.json', 'package-lock-json'],
    ['web/npm-shrinkwrap.json', 'package-lock-json'],
    ['yarn.lock', 'yarn-lock'],
    ['pnpm-lock.yaml', 'pnpm-lock'],
    ['go.mod', 'go-mod'],
    ['Cargo.lock', 'cargo-lock'],
    ['Gemfile.lock', 'gemfile-lock'],
    ['composer.lock', 'composer-lock'],
    ['pom.xml', 'pom-xml'],
    ['gradle.lockfile', 'gradle-lockfile'],
    ['app/buildscript-gradle.lockfile', 'gradle-lockfile'],
    ['.\\windows\\style\\requirements.txt', 'requirements-txt'],
    ['sbom.cdx.json', 'cyclonedx-json'],
    ['dist/acme-portal.cdx.json', 'cyclonedx-json'],
    ['sbom.cdx.xml', 'cyclonedx-xml'],
    ['images/base.spdx.json', 'spdx-json'],
  ])('%s → %s', (path, id) => {
    expect(parserFor(path)?.id).toBe(id);
  });

  it.each([
    'MANIFEST.in',
    'Makefile.in',
    'notes.txt',
    'package.json',
    'Pipfile',
    'go.sum',
    'Cargo.toml',
    'README.md',
    'requirements.txt.bak',
    'bom.json',
    'sbom.json',
    'bom.xml',
    'cdx.json',
  ])('%s is not a manifest we read', (path) => {
    expect(parserFor(path)).toBeUndefined();
  });

  it.each([
    'node_modules/lodash/package-lock.json',
    'web/node_modules/x/yarn.lock',
    'vendor/github.com/x/go.mod',
    '.venv/lib/requirements.txt',
    'lib/python3.11/site-packages/pkg/requirements.txt',
  ])('skips vendored %s', (path) => {
    expect(isVendoredPath(path)).toBe(true);
    expect(parserFor(path)).toBeUndefined();
  });

  it('selects the manifests of a monorepo tree, sorted', () => {
    const tree = [
      'README.md',
      'services/x/poetry.lock',
      'requirements.txt',
      'web/package-lock.json',
      'web/node_modules/a/package-lock.json',
      'src/main.py',
      'tools/go.mod',
    ];
    expect(selectManifestPaths(tree).map((m) => [m.path, m.parser.id])).toEqual([
      ['requirements.txt', 'requirements-txt'],
      ['services/x/poetry.lock', 'poetry-lock'],
      ['tools/go.mod', 'go-mod'],
      ['web/package-lock.json', 'package-lock-json'],
    ]);
  });

  it('reports an unsupported file and binary content instead of throwing', () => {
    expect(parseManifest('notes.txt', 'x').diagnostics.map((d) => d.code)).toEqual(['UNSUPPORTED_FILE']);
    expect(parseManifest('poetry.lock', '\u0000\u0001\u0002binary').diagnostics.map((d) => d.code)).toEqual([
      'NOT_TEXT',
    ]);
  });
});
