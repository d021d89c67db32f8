import { isVendoredPath, parseManifest, parserFor, selectManifestPaths } from './manifest-registry';

describe('manifest registry', () => {
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
